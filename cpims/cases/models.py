from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency
from cpims.cases.choices import (
    ApprovalKind,
    ApprovalStatus,
    ClosureReason,
    ConsentPurpose,
    Harm,
    LegalBasis,
    Origin,
    PersonRole,
    Risk,
    Stage,
    TaskKind,
)
from cpims.geo.models import Location
from cpims.registry.models import Person

USER = settings.AUTH_USER_MODEL


class CaseSequence(models.Model):
    """The last case number issued per aimag and year; locked while a number is taken."""

    aimag_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["aimag_code", "year"], name="case_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.aimag_code}-{self.year}: {self.last}"


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=24, unique=True)
    stage = models.CharField(
        _("stage"), max_length=32, choices=Stage.choices, default=Stage.REGISTRATION
    )
    is_open = models.BooleanField(_("open"), default=True)
    risk = models.CharField(
        _("risk level"), max_length=12, choices=Risk.choices, default=Risk.UNASSESSED
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    reported_at = models.DateTimeField(_("reported at"))
    reporter_description = models.CharField(_("who reported"), max_length=200, blank=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("where the child lives"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    harm_location = models.ForeignKey(
        Location,
        verbose_name=_("where the harm happened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible team"), on_delete=models.PROTECT, related_name="cases"
    )
    assigned_worker = models.ForeignKey(
        USER,
        verbose_name=_("social worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    created_by_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="created_cases"
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    safety_immediate = models.BooleanField(_("the child is safe right now"), null=True)
    safety_notes = models.TextField(_("immediate safety check"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    restricted = models.BooleanField(_("restricted"), default=False)
    closure_reason = models.CharField(
        _("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["agency", "is_open", "risk"], name="case_agency_open_idx"),
            models.Index(fields=["assigned_worker", "is_open"], name="case_worker_open_idx"),
            models.Index(fields=["location", "opened_at"], name="case_place_opened_idx"),
            models.Index(fields=["stage", "risk"], name="case_stage_risk_idx"),
            # The case list's order (`case_list`): a reader who sees much of the country (an
            # area officer) walks it and stops at the page's rows instead of sorting them all.
            models.Index(fields=["-opened_at", "-id"], name="case_newest_idx"),
            models.Index(fields=["created_by_agency", "opened_at"], name="case_creator_idx"),
            # Lists of open cases, newest first, and area lists (partial: open cases only).
            models.Index(
                fields=["-opened_at", "-id"],
                name="case_open_newest_idx",
                condition=models.Q(is_open=True),
            ),
            models.Index(
                fields=["location"], name="case_open_place_idx", condition=models.Q(is_open=True)
            ),
            models.Index(
                fields=["number"], name="case_number_like_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CaseChild(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_child_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"


class CasePerson(models.Model):
    """A caregiver, household member, reporter or alleged perpetrator: a registry person or,
    when unidentified, a description."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices, db_index=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="case_roles"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    relationship_to_child = models.CharField(
        _("relationship to the child"), max_length=60, blank=True
    )
    lives_with_child = models.BooleanField(_("lives with the child"), null=True)

    def __str__(self) -> str:
        return f"{self.role} on {self.case_id}"


class CaseHarm(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="harms")
    harm = models.CharField(_("harm"), max_length=20, choices=Harm.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "harm"], name="case_harm_unique")]
        indexes = [models.Index(fields=["harm", "case"], name="case_harm_idx")]

    def __str__(self) -> str:
        return self.harm


class Consent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("for"), max_length=16, choices=ConsentPurpose.choices)
    basis = models.CharField(_("basis"), max_length=20, choices=LegalBasis.choices)
    given_by = models.CharField(_("given by"), max_length=200, blank=True)
    child_assent = models.BooleanField(_("the child assents"), null=True)
    given_at = models.DateTimeField(_("when"))
    notes = models.TextField(_("notes"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["case", "purpose", "withdrawn_at"], name="consent_case_idx")
        ]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.basis}"


class Assessment(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial (danger) assessment")
        COMPREHENSIVE = "comprehensive", _("Comprehensive assessment")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    risk = models.CharField(_("risk level"), max_length=12, choices=Risk.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    safety = models.TextField(_("safety"), blank=True)
    health = models.TextField(_("health"), blank=True)
    education = models.TextField(_("education"), blank=True)
    family = models.TextField(_("family"), blank=True)
    psychosocial = models.TextField(_("psychosocial"), blank=True)
    legal = models.TextField(_("legal"), blank=True)
    completed_at = models.DateTimeField()
    completed_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id}"


class CasePlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    goals = models.TextField(_("goals"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"plan {self.pk} ({self.status})"


class PlanAction(models.Model):
    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    responsible = models.CharField(_("responsible person or agency"), max_length=200)
    due_date = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.description


class Approval(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(max_length=12, choices=ApprovalKind.choices)
    status = models.CharField(
        max_length=12, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    payload = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "kind"], name="approval_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Home visit")
        REVIEW = "review", _("Case review")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    risk = models.CharField(_("updated risk level"), max_length=12, choices=Risk.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.kind} {self.happened_on}"


class EmergencyMeasure(models.Model):
    class Kind(models.TextChoices):
        SHELTER = "shelter", _("Removal to a shelter")
        TEMPORARY_CARE = "temporary_care", _("Temporary care")
        PROTECTION_ORDER = "protection_order", _("Protection order")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    def __str__(self) -> str:
        return self.kind


class Conference(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    decisions = models.TextField(_("decisions"))
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"conference {self.held_on}"


class Task(models.Model):
    """A step with a due date. Due dates are computed once from the rules in force, so a later
    change of the rules does not rewrite history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=24, choices=TaskKind.choices)
    title = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField(_("due"))
    assigned_to = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    rule = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["assigned_to", "done_at", "due_at"], name="task_worker_due_idx"),
            models.Index(fields=["agency", "done_at", "due_at"], name="task_agency_due_idx"),
            models.Index(
                fields=["due_at"],
                name="task_open_due_idx",
                condition=models.Q(done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at:%Y-%m-%d}"


class DeadlineRule(models.Model):
    """How long a step may take at a risk level. Data, so supervisors can tune it."""

    risk = models.CharField(max_length=12, choices=Risk.choices)
    step = models.CharField(max_length=24, choices=TaskKind.choices)
    hours = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["risk", "step"], name="deadline_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.risk}/{self.step}: {self.hours}h"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    written_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text[:40]


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class TeamHistory(models.Model):
    """Teams that held the case before a transfer keep read access to it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team_history")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["agency", "case"], name="team_history_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} until {self.until:%Y-%m-%d}"


class SavedSearch(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="saved_case_searches")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique")]

    def __str__(self) -> str:
        return self.name


class AccessGrant(models.Model):
    """Named users who may see a restricted case (e.g. a staff member's own child)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="case_grants")
    granted_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id}"
