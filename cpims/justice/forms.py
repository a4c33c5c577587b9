"""Forms for the justice and domestic-violence steps on a case. The page and the API validate
with the same form (see `steps.py`). Choices of sub-records are limited to the case's own."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import User
from cpims.justice.choices import (
    Compliance,
    ConflictMeasure,
    ConflictPath,
    CourtOutcome,
    InterviewPlace,
    LegalAidKind,
    OffenceCategory,
    PoliceStatus,
    ReportChannel,
)
from cpims.justice.models import ConflictRecord, CourtCase, Hearing, PoliceReport
from cpims.registry.models import Person

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 2})
MEASURES = [("", "—"), *ConflictMeasure.choices]


class CaseForm(forms.Form):
    """A step form bound to a case: record choices come from that case only."""

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = self.limit(name, field.queryset)

    def limit(self, name, queryset):
        if self.case is None:
            return queryset.none()
        if queryset.model is Person:
            return queryset.filter(case_links__case=self.case)
        if queryset.model is User:
            return queryset.filter(agency_id=self.case.agency_id, is_active=True)
        if queryset.model is Hearing:
            return queryset.filter(court_case__case=self.case)
        return queryset.filter(case=self.case)


class PoliceReportForm(CaseForm):
    number = forms.CharField(label=_("Report number"), max_length=60)
    channel = forms.ChoiceField(label=_("Reported through"), choices=ReportChannel.choices)
    reported_on = forms.DateField(label=_("Date reported"), widget=DATE)
    unit = forms.CharField(label=_("Investigating unit"), required=False)
    investigator = forms.CharField(label=_("Investigator"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)


class PoliceStatusForm(CaseForm):
    report = forms.ModelChoiceField(label=_("Police report"), queryset=PoliceReport.objects)
    status = forms.ChoiceField(label=_("Status"), choices=PoliceStatus.choices)
    on = forms.DateField(label=_("Since"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)


class CourtCaseForm(CaseForm):
    prosecution_number = forms.CharField(label=_("Prosecutor's case number"), required=False)
    number = forms.CharField(label=_("Court case number"), required=False)
    court = forms.CharField(label=_("Court"), required=False)
    police_report = forms.ModelChoiceField(
        label=_("Police report"), queryset=PoliceReport.objects, required=False
    )
    accompanying_worker = forms.ModelChoiceField(
        label=_("Social worker accompanying the child"),
        queryset=User.objects,
        required=False,
        help_text=_("Reminded the day before each hearing; the case worker if empty."),
    )


class HearingForm(CaseForm):
    court_case = forms.ModelChoiceField(label=_("Court case"), queryset=CourtCase.objects)
    scheduled_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), required=False)
    purpose = forms.CharField(label=_("Purpose"), required=False)


class HearingChangeForm(CaseForm):
    hearing = forms.ModelChoiceField(label=_("Hearing"), queryset=Hearing.objects)
    scheduled_at = forms.DateTimeField(
        label=_("New date and time"), required=False, widget=DATETIME
    )
    cancelled = forms.BooleanField(label=_("Cancelled"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)


class CourtOutcomeForm(CaseForm):
    court_case = forms.ModelChoiceField(label=_("Court case"), queryset=CourtCase.objects)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in CourtOutcome.choices if c[0] != "pending"]
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    sentence = forms.CharField(label=_("Sentence or measure"), required=False, widget=TEXT)


class InterviewForm(CaseForm):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Person.objects)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.ChoiceField(label=_("Where"), choices=InterviewPlace.choices)
    interviewer = forms.CharField(label=_("Interviewed by"))
    interviewer_agency = forms.CharField(label=_("Interviewer's agency"), required=False)
    recorded = forms.BooleanField(label=_("Audio/video recorded"), required=False)
    support_person_present = forms.BooleanField(label=_("Support person present"), required=False)
    support_person = forms.CharField(label=_("Support person"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)


class LegalAidForm(CaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=LegalAidKind.choices)
    provided_on = forms.DateField(label=_("Date"), widget=DATE)
    provider = forms.CharField(label=_("Provided by"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)


class ConflictForm(CaseForm):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Person.objects)
    offence = forms.ChoiceField(label=_("Offence category"), choices=OffenceCategory.choices)
    offence_on = forms.DateField(
        label=_("Date of the alleged offence"), required=False, widget=DATE
    )
    path = forms.ChoiceField(label=_("Diversion or court"), choices=ConflictPath.choices)
    measure = forms.ChoiceField(label=_("Measure"), choices=MEASURES, required=False)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE)
    decided_by = forms.CharField(label=_("Decided by"), required=False)
    probation_until = forms.DateField(label=_("Probation until"), required=False, widget=DATE)
    follow_up_days = forms.IntegerField(
        label=_("Follow-up every (days)"), min_value=1, max_value=180, initial=30, required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)


class ConflictDecisionForm(CaseForm):
    record = forms.ModelChoiceField(label=_("Record"), queryset=ConflictRecord.objects)
    path = forms.ChoiceField(label=_("Diversion or court"), choices=ConflictPath.choices)
    measure = forms.ChoiceField(label=_("Measure"), choices=MEASURES, required=False)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    decided_by = forms.CharField(label=_("Decided by"), required=False)
    probation_until = forms.DateField(label=_("Probation until"), required=False, widget=DATE)


class ProbationVisitForm(CaseForm):
    record = forms.ModelChoiceField(label=_("Record"), queryset=ConflictRecord.objects)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    compliance = forms.ChoiceField(label=_("Compliance"), choices=Compliance.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)
