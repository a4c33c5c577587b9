"""Each workflow step once: its form (used by the page and the API alike) and the service call.

A page POSTs to /cases/<id>/step/<name>/, the API to /api/v1/cases/<id>/<name>/; both validate
with the same form and call the same service, so the rules cannot drift apart. A GET of the page
URL gives the empty form (the case page fetches it when the step is opened).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency
from cpims.cases import services, workflow
from cpims.cases.choices import ClosureReason, ConsentPurpose, Harm, LegalBasis, Risk
from cpims.cases.models import EmergencyMeasure, FollowUp
from cpims.geo.models import Location

RISKS = [(r, label) for r, label in Risk.choices if r != Risk.UNASSESSED]
DATE = forms.DateInput(attrs={"type": "date"})


def parse_action_lines(text: str) -> list[tuple[str, str, date]]:
    """Lines of "first; second; YYYY-MM-DD"; the error names the line."""
    parsed = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise forms.ValidationError(
                _("Line %(n)s: write three parts separated by ';'") % {"n": number}
            )
        try:
            due = date.fromisoformat(parts[2])
        except ValueError as exc:
            raise forms.ValidationError(
                _("Line %(n)s: the due date must be YYYY-MM-DD") % {"n": number}
            ) from exc
        parsed.append((parts[0], parts[1], due))
    return parsed


class InitialAssessmentForm(forms.Form):
    risk = forms.ChoiceField(label=_("Risk level"), choices=RISKS)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class ComprehensiveAssessmentForm(forms.Form):
    safety = forms.CharField(
        label=_("Safety"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    health = forms.CharField(
        label=_("Health"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    education = forms.CharField(
        label=_("Education"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    family = forms.CharField(
        label=_("Family"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    psychosocial = forms.CharField(
        label=_("Psychosocial"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal = forms.CharField(
        label=_("Legal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(
        label=_("Actions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: action; responsible person or agency; due date (YYYY-MM-DD)"),
    )

    def clean_actions(self):
        parsed = parse_action_lines(self.cleaned_data["actions"])
        if not parsed:
            raise forms.ValidationError(_("Add at least one action."))
        return [workflow.ActionInput(what, who, due) for what, who, due in parsed]


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUp.Kind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    risk = forms.ChoiceField(label=_("Updated risk level"), choices=RISKS)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=EmergencyMeasure.Kind.choices)
    started_on = forms.DateField(label=_("From"), widget=DATE)
    ended_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False)


class ConferenceForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2})
    )
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(
        label=_("Actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: member; action; due date (YYYY-MM-DD)"),
    )

    def clean_actions(self):
        return parse_action_lines(self.cleaned_data.get("actions") or "")


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosureReason.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("New team"), queryset=Agency.objects.filter(kind="mdt")
    )
    to_location = forms.ModelChoiceField(
        label=_("New place"), queryset=Location.objects.all(), to_field_name="code"
    )
    reason = forms.CharField(label=_("Reason"))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("For"), choices=ConsentPurpose.choices)
    basis = forms.ChoiceField(label=_("Basis"), choices=LegalBasis.choices)
    given_by = forms.CharField(label=_("Given by"), required=False)
    child_assent = forms.NullBooleanField(label=_("The child assents"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False)


class HarmsForm(forms.Form):
    harms = forms.MultipleChoiceField(
        label=_("Harm and concerns"), choices=Harm.choices, widget=forms.CheckboxSelectMultiple
    )


class FirstResponseForm(forms.Form):
    notes = forms.CharField(label=_("What was done"), required=False)


@dataclass(frozen=True)
class Step:
    title: str
    form: type[forms.Form]
    run: Callable
    capability: str = "cases.edit"


def _plan(actor, case, d):
    return workflow.plan_submit(actor=actor, case=case, goals=d["goals"], actions=d["actions"])


STEPS: dict[str, Step] = {
    "first-response": Step(
        _("First response"),
        FirstResponseForm,
        lambda a, c, d: services.first_response_record(actor=a, case=c, **d),
    ),
    "initial-assessment": Step(
        _("Initial assessment"),
        InitialAssessmentForm,
        lambda a, c, d: workflow.initial_assessment_record(actor=a, case=c, **d),
    ),
    "comprehensive-assessment": Step(
        _("Comprehensive assessment"),
        ComprehensiveAssessmentForm,
        lambda a, c, d: workflow.comprehensive_assessment_record(actor=a, case=c, sections=d),
    ),
    "submit-plan": Step(_("Case plan"), PlanForm, _plan),
    "follow-up": Step(
        _("Follow-up"),
        FollowUpForm,
        lambda a, c, d: workflow.follow_up_record(actor=a, case=c, **d),
    ),
    "measure": Step(
        _("Emergency measure"),
        MeasureForm,
        lambda a, c, d: services.measure_record(actor=a, case=c, **d),
    ),
    "conference": Step(
        _("Case conference"),
        ConferenceForm,
        lambda a, c, d: services.conference_record(actor=a, case=c, **d),
    ),
    "request-closure": Step(
        _("Close the case"),
        ClosureForm,
        lambda a, c, d: workflow.closure_request(actor=a, case=c, **d),
    ),
    "reopen": Step(
        _("Reopen"), ReasonForm, lambda a, c, d: workflow.case_reopen(actor=a, case=c, **d)
    ),
    "request-transfer": Step(
        _("Transfer"), TransferForm, lambda a, c, d: workflow.transfer_request(actor=a, case=c, **d)
    ),
    "note": Step(_("Note"), NoteForm, lambda a, c, d: services.note_add(actor=a, case=c, **d)),
    "consent": Step(
        _("Consent"), ConsentForm, lambda a, c, d: services.consent_record(actor=a, case=c, **d)
    ),
    "harms": Step(
        _("Harm and concerns"),
        HarmsForm,
        lambda a, c, d: services.case_set_harms(actor=a, case=c, harms=d["harms"]),
    ),
}


ALWAYS_OPEN = [
    "measure",
    "conference",
    "note",
    "consent",
    "harms",
    "request-transfer",
    "request-closure",
]
BY_STAGE: dict[str, list[str]] = {
    "registration": ["first-response", "initial-assessment"],
    "initial_assessment": ["comprehensive-assessment", "initial-assessment"],
    "comprehensive_assessment": ["submit-plan"],
    "case_plan": ["submit-plan"],
    "implementation": ["follow-up", "submit-plan"],
    "follow_up": ["follow-up", "submit-plan"],
}


def steps_for(case) -> list[str]:
    """The steps that make sense at the case's stage, in the order a worker needs them.
    (The services still check every rule; this only keeps the page short.)"""
    if not case.is_open:
        return ["reopen", "note"]
    return [*BY_STAGE.get(case.stage, []), *ALWAYS_OPEN]
