"""Costing scenarios and allocation proposals: assumptions stored, results computed on demand."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.finance.models.budget import USER, ZERO, money, year_field
from cpims.geo.models import Location
from cpims.referrals.choices import Level, ServiceType


def rate(verbose_name, *, default="0", max_digits=7, decimal_places=2, **kw):
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=decimal_places,
        default=Decimal(default),
        **kw,
    )


class Scenario(models.Model):
    """A costing scenario over the areas directly inside `parent` (the country: its aimags)."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        Location, verbose_name=_("costed area"), on_delete=models.PROTECT, related_name="+"
    )
    start_year = year_field(_("first year"))
    horizon = models.PositiveSmallIntegerField(
        _("horizon (years)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    inflation = rate(
        _("inflation (% a year)"),
        default="0",
        validators=[MinValueValidator(Decimal("-50")), MaxValueValidator(Decimal("100"))],
    )
    cases_per_worker = models.PositiveIntegerField(
        _("cases a year per social worker"), default=60, validators=[MinValueValidator(1)]
    )
    workers_per_supervisor = models.PositiveIntegerField(
        _("social workers per supervisor"), default=8, validators=[MinValueValidator(1)]
    )
    worker_salary = money(_("social worker cost a year (MNT)"))
    supervisor_salary = money(_("supervisor cost a year (MNT)"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return [self.start_year + t for t in range(self.horizon)]


class ScenarioArea(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="areas")
    location = models.ForeignKey(
        Location, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    children = models.PositiveIntegerField(_("children in the first year"), default=0)
    growth = rate(
        _("child population growth (% a year)"),
        validators=[MinValueValidator(Decimal("-50")), MaxValueValidator(Decimal("50"))],
    )
    cases_per_1000 = rate(
        _("cases a year per 1,000 children"),
        max_digits=8,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1000"))],
    )
    multiplier = rate(
        _("unit-cost multiplier"),
        default="1",
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(ZERO)],
    )

    class Meta:
        ordering = ["location__path"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "location"], name="scenario_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}@{self.location_id}"


class ScenarioMix(models.Model):
    """How many units of a service an average case uses, and what a unit costs."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="mix")
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    level = models.CharField(_("service level"), max_length=16, choices=Level.choices)
    units_per_case = rate(
        _("units per case"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(ZERO)],
    )
    unit_cost = money(_("cost per unit (MNT)"))

    class Meta:
        ordering = ["service_type"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "service_type"], name="scenario_mix_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}:{self.service_type}"


class AllocationProposal(models.Model):
    """A national (or aimag) envelope distributed across the areas directly inside `parent` by
    cases registered × a quality weight (the 2022 joint order's method)."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        Location, verbose_name=_("distributed across"), on_delete=models.PROTECT, related_name="+"
    )
    year = year_field(_("budget year"))
    envelope = models.DecimalField(
        _("envelope (MNT)"),
        max_digits=18,
        decimal_places=0,
        validators=[MinValueValidator(Decimal("1"))],
    )
    cases_from = models.DateField(_("cases registered from"))
    cases_to = models.DateField(_("cases registered until"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class AllocationShare(models.Model):
    proposal = models.ForeignKey(
        AllocationProposal, on_delete=models.CASCADE, related_name="shares"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    cases = models.PositiveIntegerField(_("cases registered"), default=0)
    weight = models.DecimalField(
        _("quality weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("10"))],
    )
    amount = models.DecimalField(_("amount (MNT)"), max_digits=18, decimal_places=0, default=0)

    class Meta:
        ordering = ["location__path"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "location"], name="allocation_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}@{self.location_id}"
