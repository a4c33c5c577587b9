import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.cases.models import Case
from cpims.geo.models import Location
from cpims.helpline.choices import (
    FORM_VERSION,
    ActionTaken,
    CallerKind,
    CallType,
    Channel,
    ChildSex,
    Outcome,
    Relationship,
    Status,
    Urgency,
    VulnerableGroup,
)
from cpims.helpline.models.taxonomy import Category, TaxonomyVersion
from cpims.registry.models import Person

USER = settings.AUTH_USER_MODEL


class Contact(models.Model):
    """One contact with the helpline: a call, a chat, a message, a visit. Everything that is
    counted is a typed, indexed column; `draft_raw` keeps what the counsellor typed that could
    not be read yet (a half-typed phone number), so nothing typed is ever lost."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    call_type = models.CharField(
        _("call type"), max_length=16, choices=CallType.choices, blank=True
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE
    )
    line = models.CharField(_("helpline line"), max_length=16, default="108")
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    counsellor = models.ForeignKey(
        USER,
        verbose_name=_("counsellor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helpline_contacts",
    )
    telephony_call_id = models.CharField(_("telephony call id"), max_length=100, blank=True)

    caller_anonymous = models.BooleanField(_("caller wishes to stay anonymous"), default=False)
    caller_kind = models.CharField(
        _("caller is"), max_length=8, choices=CallerKind.choices, default=CallerKind.UNKNOWN
    )
    caller_relationship = models.CharField(
        _("caller's relationship to the child"),
        max_length=16,
        choices=Relationship.choices,
        blank=True,
    )
    caller_name = models.CharField(_("caller's name"), max_length=200, blank=True)
    caller_phone = models.CharField(_("caller's phone (E.164)"), max_length=16, blank=True)
    caller_age = models.PositiveSmallIntegerField(_("caller's age"), null=True, blank=True)
    caller_sex = models.CharField(
        _("caller's sex"), max_length=1, choices=ChildSex.choices, default=ChildSex.UNKNOWN
    )
    caller_location = models.ForeignKey(
        Location,
        verbose_name=_("caller's location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.LOW
    )
    primary_category = models.ForeignKey(
        Category,
        verbose_name=_("main reason for contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    is_repeat = models.BooleanField(_("repeat contact"), default=False)
    narrative = models.TextField(_("narrative"), blank=True)

    callback_requested = models.BooleanField(_("callback requested"), default=False)
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    callback_number = models.CharField(_("callback number"), max_length=16, blank=True)
    callback_consent = models.BooleanField(_("consent to be called back"), default=False)
    callback_done_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_done_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    callback_note = models.CharField(_("callback note"), max_length=500, blank=True)

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helpline_contacts",
    )
    taxonomy_version = models.ForeignKey(
        TaxonomyVersion, on_delete=models.PROTECT, related_name="contacts"
    )
    form_version = models.CharField(max_length=16, default=FORM_VERSION)
    draft_raw = models.JSONField(default=dict, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["telephony_call_id"],
                condition=~models.Q(telephony_call_id=""),
                name="contact_call_id_unique",
            )
        ]
        indexes = [
            models.Index(fields=["status", "counsellor", "started_at"], name="contact_status_idx"),
            models.Index(fields=["started_at", "call_type"], name="contact_started_idx"),
            models.Index(fields=["caller_phone", "started_at"], name="contact_phone_idx"),
            models.Index(fields=["callback_number"], name="contact_callback_no_idx"),
            # The caller lookup's open cases for a number: small, only contacts with a case.
            models.Index(
                fields=["caller_phone"],
                name="contact_phone_case_idx",
                condition=models.Q(case__isnull=False),
            ),
            models.Index(
                fields=["callback_number"],
                name="contact_callback_case_idx",
                condition=models.Q(case__isnull=False),
            ),
            models.Index(
                fields=["callback_requested", "callback_done_at", "callback_at"],
                name="contact_callback_due_idx",
            ),
            models.Index(fields=["urgency", "started_at"], name="contact_urgency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_call_type_display() or '—'} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_data(self) -> bool:
        return self.call_type == CallType.DATA


class ContactChild(models.Model):
    """A child the contact is about: a registry person, or unidentified (what was told)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helpline_contact_links",
    )
    name = models.CharField(_("name as told"), max_length=100, blank=True)
    age_years = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    sex = models.CharField(
        _("sex"), max_length=1, choices=ChildSex.choices, default=ChildSex.UNKNOWN
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("where the child lives"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "pk"]
        indexes = [models.Index(fields=["contact", "sort"], name="contact_child_idx")]

    def __str__(self) -> str:
        return self.name or (str(self.person) if self.person_id else "—")


class ContactPerpetrator(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="perpetrators")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    relationship = models.CharField(
        _("relationship to the child"), max_length=16, choices=Relationship.choices, blank=True
    )
    lives_with_child = models.BooleanField(_("lives with the child"), null=True)
    sex = models.CharField(
        _("sex"), max_length=1, choices=ChildSex.choices, default=ChildSex.UNKNOWN
    )
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.description or "—"


class ContactCategory(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "category"], name="contact_category_unique")
        ]
        indexes = [models.Index(fields=["category", "contact"], name="contact_category_idx")]

    def __str__(self) -> str:
        return f"{self.contact_id}:{self.category_id}"


class ContactAction(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(max_length=24, choices=ActionTaken.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "action"], name="contact_action_unique")
        ]
        indexes = [models.Index(fields=["action", "contact"], name="contact_action_idx")]

    def __str__(self) -> str:
        return self.action


class ContactVulnerability(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="vulnerabilities")
    group = models.CharField(max_length=20, choices=VulnerableGroup.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "group"], name="contact_vulnerable_unique")
        ]
        indexes = [models.Index(fields=["group", "contact"], name="contact_vulnerable_idx")]

    def __str__(self) -> str:
        return self.group
