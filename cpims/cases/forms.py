from django import forms
from django.utils.translation import gettext_lazy as _

from cpims.cases.choices import Harm, Origin, Risk, Stage
from cpims.core.numbers import is_number_text
from cpims.geo.models import Location
from cpims.registry.models import Person


class RegisterForm(forms.Form):
    children = forms.CharField(
        label=_("Children (registry ids)"),
        help_text=_("Find each child in the person registry first; ids separated by commas"),
    )
    location = forms.ModelChoiceField(
        label=_("Where the child lives"), queryset=Location.objects.none()
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=Origin.choices, initial=Origin.WALK_IN)
    risk = forms.ChoiceField(
        label=_("Risk before assessment"), choices=Risk.choices, initial=Risk.UNASSESSED
    )
    harms = forms.MultipleChoiceField(
        label=_("Harm and concerns"),
        choices=Harm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reporter_description = forms.CharField(label=_("Who reported"), required=False, max_length=200)
    safety_immediate = forms.NullBooleanField(
        label=_("The child is safe right now"), required=False
    )
    safety_notes = forms.CharField(
        label=_("Immediate safety check"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = persons
        inside = user.scope.path if user.scope_id else "-"
        self.fields["location"].queryset = Location.objects.filter(
            path__startswith=inside
        ).order_by("path")

    def clean_children(self) -> list[Person]:
        ids = []
        for part in self.cleaned_data["children"].replace(" ", "").split(","):
            if not part:
                continue
            if not is_number_text(part):
                raise forms.ValidationError(_("'%(v)s' is not a registry id") % {"v": part})
            ids.append(int(part))
        found = {p.pk: p for p in self.persons.filter(pk__in=ids)}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(
                _("No person you can see has id %(ids)s") % {"ids": ", ".join(missing)}
            )
        if not ids:
            raise forms.ValidationError(_("A case needs at least one child."))
        return [found[i] for i in ids]


class WorkerChoiceField(forms.ChoiceField):
    def valid_value(self, value) -> bool:
        # A supervisor's dashboard links to one worker's cases by user id; the selector still
        # limits the list to the cases the reader may see.
        return is_number_text(str(value)) or super().valid_value(value)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Case number or child"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—"), ("open", _("Open")), ("closed", _("Closed"))],
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—"), *Stage.choices])
    risk = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", "—"), *Risk.choices]
    )
    harm = forms.ChoiceField(label=_("Harm"), required=False, choices=[("", "—"), *Harm.choices])
    worker = WorkerChoiceField(
        label=_("Worker"), required=False, choices=[("", "—"), ("me", _("Assigned to me"))]
    )
    place = forms.CharField(label=_("Place code"), required=False, max_length=16)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    plan = forms.ChoiceField(
        label=_("Case plan"),
        required=False,
        choices=[("", "—"), ("none", _("No approved plan"))],
    )
    referral = forms.ChoiceField(
        label=_("Referrals"),
        required=False,
        choices=[("", "—"), ("awaiting", _("Awaiting a response"))],
    )
    opened_from = forms.DateField(label=_("Opened from"), required=False)
    opened_to = forms.DateField(label=_("Opened until"), required=False)


class DetailsForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reporter_description = forms.CharField(label=_("Who reported"), required=False, max_length=200)
    safety_notes = forms.CharField(
        label=_("Immediate safety check"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
