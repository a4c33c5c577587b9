"""Domestic violence on a case: the two assessments the Law on Combating Domestic Violence
requires, protection orders and their violations, and stays in shelters and one-stop centres."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.cases.models import Case
from cpims.justice.choices import AssessmentKind, DangerLevel, IssuingBody, OrderKind, StayReason
from cpims.referrals.models import Delivery, Service
from cpims.registry.models import Person

USER = settings.AUTH_USER_MODEL


class DangerAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="dv_assessments")
    kind = models.CharField(_("assessment"), max_length=16, choices=AssessmentKind.choices)
    level = models.CharField(_("level"), max_length=8, choices=DangerLevel.choices)
    assessed_on = models.DateField(_("date"))
    assessed_by = models.CharField(_("assessed by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        indexes = [models.Index(fields=["kind", "level", "assessed_on"], name="dv_level_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.level}"


class ProtectionOrder(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="protection_orders")
    kind = models.CharField(_("type"), max_length=12, choices=OrderKind.choices)
    issuing_body = models.CharField(_("issued by"), max_length=12, choices=IssuingBody.choices)
    issuer_name = models.CharField(_("issuing court or unit"), max_length=200, blank=True)
    number = models.CharField(_("order number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    starts_on = models.DateField(_("in force from"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["expires_on", "revoked_on"], name="order_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}"

    def in_force_on(self, day) -> bool:
        if self.revoked_on and self.revoked_on <= day:
            return False
        return self.starts_on <= day and (self.expires_on is None or day <= self.expires_on)


class OrderViolation(models.Model):
    order = models.ForeignKey(ProtectionOrder, on_delete=models.CASCADE, related_name="violations")
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("what happened"))
    reported_to = models.CharField(_("reported to"), max_length=200, blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"violation {self.occurred_on}"


class ShelterStay(models.Model):
    """A stay in a shelter or one-stop centre; at discharge it becomes a service delivery (nights
    or days), which is what the finance module costs."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shelter_stays")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    admitted_on = models.DateField(_("admitted on"))
    reason = models.CharField(_("reason"), max_length=16, choices=StayReason.choices)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharged_to = models.CharField(_("discharged to"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    delivery = models.OneToOneField(
        Delivery, null=True, blank=True, on_delete=models.PROTECT, related_name="shelter_stay"
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-admitted_on", "-pk"]
        indexes = [models.Index(fields=["service", "discharged_on"], name="stay_service_idx")]

    def __str__(self) -> str:
        return f"stay {self.admitted_on}"
