"""Forms for inspections of horse races and workplaces."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency
from cpims.geo.models import Location
from cpims.justice.choices import InspectionKind
from cpims.justice.labour import parse_ages
from cpims.justice.models import RestrictedPeriod

DATE = forms.DateInput(attrs={"type": "date"})


def place_field(label, required=True):
    return forms.ModelChoiceField(
        label=label,
        queryset=Location.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.TextInput,
        help_text=_("Place code, e.g. 2101 or 110751"),
        required=required,
    )


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    location = place_field(_("Soum or khoroo"))
    place = forms.CharField(label=_("Place"), max_length=200)
    event = forms.CharField(label=_("Event or workplace"), max_length=200, required=False)
    organiser = forms.CharField(label=_("Organiser or employer"), max_length=200)
    inspected_by = forms.ModelChoiceField(
        label=_("Inspecting agency"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    inspectors = forms.CharField(label=_("Inspectors"), max_length=300, required=False)
    children = forms.IntegerField(label=_("Children riding or working"), min_value=0, initial=0)
    ages = forms.CharField(
        label=_("Their ages"),
        required=False,
        help_text=_("One age per child, separated by commas: 7, 9, 9, 11"),
    )
    rides = forms.IntegerField(
        label=_("Rides (child × race)"),
        min_value=0,
        required=False,
        help_text=_("Empty: one ride per child."),
    )
    with_gear = forms.IntegerField(label=_("Children with protective gear"), min_value=0, initial=0)
    insured = forms.IntegerField(
        label=_("Children with accident insurance"), min_value=0, initial=0
    )
    injuries = forms.IntegerField(label=_("Children injured"), min_value=0, initial=0)
    deaths = forms.IntegerField(label=_("Children killed"), min_value=0, initial=0)
    violations = forms.CharField(
        label=_("Violations found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reported_to = forms.CharField(label=_("Violations reported to"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.scope_id:
            self.fields["location"].queryset = Location.objects.filter(
                is_active=True, path__startswith=user.scope.path
            )

    def clean_ages(self):
        try:
            return parse_ages(self.cleaned_data.get("ages") or "")
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class FoundChildForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("M", _("Boy")), ("F", _("Girl")), ("U", _("Unknown"))]
    )
    age = forms.IntegerField(label=_("Age"), min_value=3, max_value=17, required=False)
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=10, required=False
    )
    home = place_field(_("Where the child lives"), required=False)
    injury = forms.CharField(label=_("Injury"), widget=forms.Textarea(attrs={"rows": 2}))
    died = forms.BooleanField(label=_("Died"), required=False)


class PeriodForm(forms.ModelForm):
    class Meta:
        model = RestrictedPeriod
        fields = ["code", "name_mn", "name_en", "months", "under_age", "is_active"]
