from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency
from cpims.cases.models import Case
from cpims.helpline.choices import EscalationLevel, EscalationStatus, TelephonyEventType
from cpims.helpline.models.contact import Contact

USER = settings.AUTH_USER_MODEL


class Escalation(models.Model):
    """A contact handed to a local team, waiting for the team to acknowledge it. Unacknowledged
    past `deadline_at`, it moves up a level (team → officer → helpline supervisor)."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="escalations")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="helpline_escalations")
    agency = models.ForeignKey(
        Agency, verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    is_emergency = models.BooleanField(_("emergency"), default=False)
    level = models.CharField(
        _("level"), max_length=12, choices=EscalationLevel.choices, default=EscalationLevel.TEAM
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EscalationStatus.choices,
        default=EscalationStatus.OPEN,
    )
    raised_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    deadline_at = models.DateTimeField(_("acknowledge by"))
    escalated_at = models.DateTimeField(_("last moved up"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ack_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["deadline_at", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline_at"], name="escalation_due_idx"),
            models.Index(fields=["agency", "status"], name="escalation_team_idx"),
            models.Index(fields=["level", "status"], name="escalation_level_idx"),
        ]

    def __str__(self) -> str:
        return f"escalation {self.pk} ({self.level}, {self.status})"

    @property
    def is_overdue(self) -> bool:
        return self.status == EscalationStatus.OPEN and self.deadline_at < timezone.now()


class IntegrationToken(models.Model):
    """A telephony system's credential. Only the SHA-256 of the token is stored; the token and
    its signing secret are shown once, when it is created."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class CounsellorExtension(models.Model):
    """Which counsellor answers on a PBX extension (so an incoming call pops on their screen)."""

    extension = models.CharField(_("extension"), max_length=16, unique=True)
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="helpline_extensions")
    is_active = models.BooleanField(_("active"), default=True)

    def __str__(self) -> str:
        return self.extension


class TelephonyEvent(models.Model):
    """Every accepted event, once: a repeated `event_id` changes nothing."""

    event_id = models.CharField(max_length=100, unique=True)
    token = models.ForeignKey(IntegrationToken, null=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=10, choices=TelephonyEventType.choices)
    call_id = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField(default=dict)
    contact = models.ForeignKey(Contact, null=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id
