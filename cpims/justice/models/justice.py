"""The justice process on a case: a sensitive section, read only through
`cpims.justice.selectors` (capability `justice.view`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.cases.models import Case
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
from cpims.registry.models import Person

USER = settings.AUTH_USER_MODEL


class PoliceReport(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="police_reports")
    number = models.CharField(_("report number"), max_length=60)
    channel = models.CharField(_("reported through"), max_length=12, choices=ReportChannel.choices)
    reported_on = models.DateField(_("date reported"))
    unit = models.CharField(_("investigating unit"), max_length=200, blank=True)
    investigator = models.CharField(_("investigator"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PoliceStatus.choices, default=PoliceStatus.REPORTED
    )
    status_changed_on = models.DateField(_("status since"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "pk"]
        indexes = [models.Index(fields=["status", "reported_on"], name="police_status_idx")]

    def __str__(self) -> str:
        return self.number


class CourtCase(models.Model):
    """Prosecution and court: numbers, the social worker who accompanies the child, outcome."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="court_cases")
    police_report = models.ForeignKey(
        PoliceReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="court_cases"
    )
    prosecution_number = models.CharField(_("prosecutor's case number"), max_length=60, blank=True)
    number = models.CharField(_("court case number"), max_length=60, blank=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    accompanying_worker = models.ForeignKey(
        USER,
        verbose_name=_("social worker accompanying the child"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=CourtOutcome.choices, default=CourtOutcome.PENDING
    )
    sentence = models.TextField(_("sentence or measure"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["outcome", "decided_on"], name="court_outcome_idx")]

    def __str__(self) -> str:
        return self.number or self.prosecution_number or f"court case {self.pk}"


class Hearing(models.Model):
    court_case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="hearings")
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    cancelled = models.BooleanField(_("cancelled or moved"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_at"]
        indexes = [models.Index(fields=["scheduled_at", "cancelled"], name="hearing_when_idx")]

    def __str__(self) -> str:
        return f"{self.scheduled_at:%Y-%m-%d %H:%M}"


class ForensicInterview(models.Model):
    """Each time a child is interviewed about what happened. Fewer is better: the count per
    child is a safeguarding indicator."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="forensic_interviews")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("where"), max_length=12, choices=InterviewPlace.choices)
    interviewer = models.CharField(_("interviewed by"), max_length=200)
    interviewer_agency = models.CharField(_("interviewer's agency"), max_length=200, blank=True)
    recorded = models.BooleanField(_("audio/video recorded"), default=False)
    support_person_present = models.BooleanField(_("support person present"), default=False)
    support_person = models.CharField(_("support person"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]
        indexes = [models.Index(fields=["case", "child"], name="interview_child_idx")]

    def __str__(self) -> str:
        return f"interview {self.held_on}"


class LegalAid(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_aid")
    kind = models.CharField(_("kind"), max_length=16, choices=LegalAidKind.choices)
    provided_on = models.DateField(_("date"))
    provider = models.CharField(_("provided by"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["provided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.provided_on}"


class ConflictRecord(models.Model):
    """A child in conflict with the law: the offence, the path (diversion or court) and the
    measure; probation follow-up visits hang off it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflict_records")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    offence = models.CharField(
        _("offence category"), max_length=16, choices=OffenceCategory.choices
    )
    offence_on = models.DateField(_("date of the alleged offence"), null=True, blank=True)
    path = models.CharField(
        _("diversion or court"),
        max_length=12,
        choices=ConflictPath.choices,
        default=ConflictPath.PENDING,
    )
    measure = models.CharField(
        _("measure"), max_length=12, choices=ConflictMeasure.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    probation_until = models.DateField(_("probation until"), null=True, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(_("follow-up every (days)"), default=30)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["path", "measure"], name="conflict_path_idx")]

    def __str__(self) -> str:
        return f"{self.offence} ({self.path})"


class ProbationVisit(models.Model):
    record = models.ForeignKey(ConflictRecord, on_delete=models.CASCADE, related_name="visits")
    held_on = models.DateField(_("date"))
    compliance = models.CharField(_("compliance"), max_length=12, choices=Compliance.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"probation visit {self.held_on}"
