from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency
from cpims.cases.models import Case
from cpims.geo.models import Location
from cpims.referrals.choices import DeclineReason, Level, ServiceType, Status, Topic, Unit, Urgency

USER = settings.AUTH_USER_MODEL


class Service(models.Model):
    """A service a provider (an agency: government or NGO) offers, and where."""

    provider = models.ForeignKey(
        Agency, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="services"
    )
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    level = models.CharField(_("service level"), max_length=16, choices=Level.choices)
    name_mn = models.CharField(_("name (Mongolian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True, default="mn")
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    sex = models.CharField(
        _("for"),
        max_length=1,
        blank=True,
        choices=[("", _("Any")), ("F", _("Girls/women")), ("M", _("Boys/men"))],
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    available = models.PositiveIntegerField(_("available now"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["service_type", "name_mn"]
        indexes = [models.Index(fields=["service_type", "is_active"], name="service_type_idx")]

    def __str__(self) -> str:
        return self.name_mn


class Coverage(models.Model):
    """A place (and everything inside it) that a service serves."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="coverage")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="coverage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.location_id}"


class Referral(models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_received"
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    reason = models.TextField(_("reason"))
    share_identity = models.BooleanField(_("child's name, age and sex"), default=True)
    share_contact = models.BooleanField(_("address and phone"), default=False)
    share_harm = models.BooleanField(_("harm summary"), default=False)
    share_assessment = models.BooleanField(_("assessment"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    external = models.BooleanField(_("provider without an account"), default=False)
    due_at = models.DateTimeField(_("response due"))
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    received_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=16, choices=DeclineReason.choices, blank=True)
    outcome_notes = models.TextField(_("notes"), blank=True)
    feedback = models.TextField(_("feedback to the referring worker"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["to_agency", "status", "sent_at"], name="referral_inbox_idx"),
            # A provider's inbox, newest first, without a status filter: reads its page and stops.
            models.Index(fields=["to_agency", "sent_at"], name="referral_agency_sent_idx"),
            models.Index(fields=["status", "due_at"], name="referral_due_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class Delivery(models.Model):
    """Units of a service delivered to a child on a case: what the finance module costs."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deliveries")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="deliveries")
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="deliveries")
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    level = models.CharField(max_length=16, choices=Level.choices)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    units = models.DecimalField(_("units"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["service_type", "delivered_on"], name="delivery_type_date_idx"),
            models.Index(fields=["location", "delivered_on"], name="delivery_place_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.units} {self.unit}"


class Activity(models.Model):
    """Prevention and awareness work, counted next to response work."""

    held_on = models.DateField(_("date"))
    location = models.ForeignKey(
        Location, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        Agency, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="activities"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    girls_0_5 = models.PositiveIntegerField(default=0)
    boys_0_5 = models.PositiveIntegerField(default=0)
    girls_6_11 = models.PositiveIntegerField(default=0)
    boys_6_11 = models.PositiveIntegerField(default=0)
    girls_12_17 = models.PositiveIntegerField(default=0)
    boys_12_17 = models.PositiveIntegerField(default=0)
    women = models.PositiveIntegerField(default=0)
    men = models.PositiveIntegerField(default=0)
    materials = models.TextField(_("materials used"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["location", "held_on"], name="activity_place_date_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def children_reached(self) -> int:
        return sum(getattr(self, f) for f in AUDIENCE_FIELDS[:6])

    @property
    def people_reached(self) -> int:
        return sum(getattr(self, f) for f in AUDIENCE_FIELDS)


AUDIENCE_FIELDS = [
    "girls_0_5",
    "boys_0_5",
    "girls_6_11",
    "boys_6_11",
    "girls_12_17",
    "boys_12_17",
    "women",
    "men",
]
