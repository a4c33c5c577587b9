from django import forms
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency
from cpims.geo.models import Location
from cpims.referrals.choices import DeclineReason, ServiceType, Status, Topic, Urgency
from cpims.referrals.models import Service

DATE = forms.DateInput(attrs={"type": "date"})


class DirectoryForm(forms.Form):
    service_type = forms.ChoiceField(
        label=_("Service type"), required=False, choices=[("", _("Any")), *ServiceType.choices]
    )
    place = forms.CharField(label=_("Child's place (code)"), required=False, max_length=16)
    q = forms.CharField(label=_("Name"), required=False, max_length=100)


class ServiceForm(forms.ModelForm):
    coverage = forms.CharField(
        label=_("Places served (codes, comma-separated)"),
        help_text=_("MN for the whole country; an aimag, soum or khoroo code"),
    )

    class Meta:
        model = Service
        fields = [
            "provider",
            "service_type",
            "level",
            "name_mn",
            "name_en",
            "address",
            "hours",
            "phone",
            "email",
            "languages",
            "min_age",
            "max_age",
            "sex",
            "capacity",
            "available",
            "unit",
            "is_active",
        ]

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        if self.instance.pk:
            self.fields["coverage"].initial = ", ".join(
                c.location.code for c in self.instance.coverage.select_related("location")
            )

    def clean_coverage(self) -> list[Location]:
        codes = [c.strip() for c in self.cleaned_data["coverage"].split(",") if c.strip()]
        places = {p.code: p for p in Location.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in places]
        if missing:
            raise forms.ValidationError(
                _("Unknown place code(s): %(codes)s") % {"codes": ", ".join(missing)}
            )
        if not codes:
            raise forms.ValidationError(_("Give at least one place."))
        return [places[c] for c in codes]


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.filter(is_active=True)
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    share_contact = forms.BooleanField(label=_("Share address and phone"), required=False)
    share_harm = forms.BooleanField(label=_("Share the harm summary"), required=False)
    share_assessment = forms.BooleanField(label=_("Share the assessment"), required=False)
    external = forms.BooleanField(
        label=_("The provider has no account (print the referral)"), required=False
    )


class StepForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", "—"), *DeclineReason.choices]
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    feedback = forms.CharField(
        label=_("Feedback to the referring worker"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("From"), widget=DATE)
    ended_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    units = forms.DecimalField(
        label=_("Units delivered"), min_value=0, max_digits=14, decimal_places=2
    )
    notes = forms.CharField(label=_("Notes"), required=False)


class ActivityForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    location = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Location.objects.all(),
        to_field_name="code",
        widget=forms.TextInput,
        help_text=_("Place code"),
    )
    organiser = forms.ModelChoiceField(
        label=_("Organiser"), queryset=Agency.objects.filter(is_active=True)
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    girls_0_5 = forms.IntegerField(label=_("Girls 0–5"), min_value=0, initial=0)
    boys_0_5 = forms.IntegerField(label=_("Boys 0–5"), min_value=0, initial=0)
    girls_6_11 = forms.IntegerField(label=_("Girls 6–11"), min_value=0, initial=0)
    boys_6_11 = forms.IntegerField(label=_("Boys 6–11"), min_value=0, initial=0)
    girls_12_17 = forms.IntegerField(label=_("Girls 12–17"), min_value=0, initial=0)
    boys_12_17 = forms.IntegerField(label=_("Boys 12–17"), min_value=0, initial=0)
    women = forms.IntegerField(label=_("Women"), min_value=0, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, initial=0)
    materials = forms.CharField(label=_("Materials used"), required=False)
