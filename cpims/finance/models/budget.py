"""Budgets, reference data and unit costs. Money is `DecimalField` in tögrög (MNT), never float.

Scenario and allocation tables are in `planning.py`."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.finance.choices import FundingSource, Programme, Quarter
from cpims.geo.models import Location
from cpims.referrals.choices import ServiceType, Unit

USER = settings.AUTH_USER_MODEL
ZERO = Decimal("0")


def money(verbose_name, **kwargs) -> models.DecimalField:
    """An amount in tögrög: up to 10^16, with möngö (two decimals); never negative."""
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(
        verbose_name,
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


def year_field(verbose_name) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )


class ChildPopulation(models.Model):
    """Children aged 0–17 living in an area in a year: the denominator of per-child figures."""

    location = models.ForeignKey(
        Location, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    year = year_field(_("year"))
    children = models.PositiveIntegerField(_("children (0–17)"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["location__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["location", "year"], name="child_population_unique")
        ]

    def __str__(self) -> str:
        return f"{self.location_id}/{self.year}: {self.children}"


class BudgetTotal(models.Model):
    """The stated total (state) budget of a year, for the child-protection share."""

    year = year_field(_("year"))
    amount = money(_("total budget (MNT)"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["year"], name="budget_total_year_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class BudgetLine(models.Model):
    """One budget line: a year, a source, a programme and an administrative unit, with the
    amounts approved, released and spent. When quarterly entries exist, released and spent are
    their sums (kept so by `execution_record`)."""

    year = year_field(_("fiscal year"))
    source = models.CharField(
        _("funding source"), max_length=12, choices=FundingSource.choices, db_index=True
    )
    programme = models.CharField(
        _("programme / service level"), max_length=16, choices=Programme.choices, db_index=True
    )
    location = models.ForeignKey(
        Location, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+"
    )
    approved = money(_("approved (MNT)"))
    released = money(_("released (MNT)"))
    spent = money(_("spent (MNT)"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "location__path", "programme", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "source", "programme", "location"], name="budget_line_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "location"], name="budget_line_year_place_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.programme} {self.source} @{self.location_id}"


class BudgetExecution(models.Model):
    """Released and spent in one quarter of a budget line."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="executions")
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter.choices)
    released = money(_("released (MNT)"))
    spent = money(_("spent (MNT)"))

    class Meta:
        ordering = ["line", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["line", "quarter"], name="budget_execution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.line_id} Q{self.quarter}"


class UnitCost(models.Model):
    """The norm cost of one unit of a service type, valid from a date until a date (open-ended
    when `valid_to` is empty). Periods of the same type and unit never overlap."""

    service_type = models.CharField(
        _("service type"), max_length=20, choices=ServiceType.choices, db_index=True
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    amount = money(_("cost per unit (MNT)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    referral_units = models.DecimalField(
        _("units per unmet referral"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(ZERO)],
        help_text=_("A referral declined for lack of capacity is costed at this many units."),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["service_type", "unit", "valid_from"]

    def __str__(self) -> str:
        return f"{self.service_type}/{self.unit} {self.amount} from {self.valid_from}"


class AreaMultiplier(models.Model):
    """Remote areas cost more: unit costs in `location` (and inside it) are multiplied by
    `factor`. The most specific area wins; a type-specific factor beats an all-types one."""

    location = models.ForeignKey(
        Location, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    service_type = models.CharField(
        _("service type"),
        max_length=20,
        choices=ServiceType.choices,
        blank=True,
        help_text=_("Empty: every service type."),
    )
    factor = models.DecimalField(
        _("multiplier"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("99"))],
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["location__path", "service_type", "valid_from"]

    def __str__(self) -> str:
        return f"×{self.factor} @{self.location_id} {self.service_type or '*'}"
