"""Monitoring of child labour and child jockeys: inspections of horse races and workplaces."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpims.accounts.models import Agency
from cpims.cases.models import Case
from cpims.core.numbers import is_number_text
from cpims.geo.models import Location
from cpims.justice.choices import InspectionKind, Season
from cpims.registry.models import Person

USER = settings.AUTH_USER_MODEL


class RestrictedPeriod(models.Model):
    """Months in which children under `under_age` may not ride in races (data, so the rule can
    follow the law). With no active row the defaults apply: winter Dec–Feb, early spring Mar–Apr,
    under 12."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_mn = models.CharField(_("name (Mongolian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    months = models.CharField(
        _("months"), max_length=40, help_text=_("Month numbers separated by commas, e.g. 12,1,2")
    )
    under_age = models.PositiveSmallIntegerField(_("applies to children under"), default=12)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def month_numbers(self) -> set[int]:
        return {int(m) for m in self.months.replace(" ", "").split(",") if is_number_text(m)}


class Inspection(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    held_on = models.DateField(_("date"))
    season = models.CharField(_("season"), max_length=8, choices=Season.choices)
    location = models.ForeignKey(
        Location, verbose_name=_("soum or khoroo"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200)
    event = models.CharField(_("event or workplace"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser or employer"), max_length=200)
    inspected_by = models.ForeignKey(
        Agency,
        verbose_name=_("inspecting agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspectors = models.CharField(_("inspectors"), max_length=300, blank=True)
    children = models.PositiveIntegerField(_("children riding or working"), default=0)
    ages = models.JSONField(_("ages of the children"), default=list, blank=True)
    rides = models.PositiveIntegerField(_("rides (child × race)"), default=0)
    min_age = models.PositiveSmallIntegerField(_("minimum age applied"), default=7)
    under_min_age = models.PositiveIntegerField(_("children under the minimum age"), default=0)
    restricted_period = models.BooleanField(_("held in a restricted period"), default=False)
    season_violations = models.PositiveIntegerField(
        _("children under the age limit in a restricted period"), default=0
    )
    with_gear = models.PositiveIntegerField(_("children with protective gear"), default=0)
    insured = models.PositiveIntegerField(_("children with accident insurance"), default=0)
    injuries = models.PositiveIntegerField(_("children injured"), default=0)
    deaths = models.PositiveIntegerField(_("children killed"), default=0)
    violations = models.TextField(_("violations found"), blank=True)
    reported_to = models.CharField(_("violations reported to"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["kind", "held_on"], name="inspection_kind_date_idx"),
            models.Index(fields=["location", "held_on"], name="inspection_place_idx"),
            models.Index(fields=["season", "held_on"], name="inspection_season_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} {self.place}"

    @property
    def compliant(self) -> bool:
        return (
            self.under_min_age == 0
            and self.season_violations == 0
            and self.with_gear >= self.children
            and self.insured >= self.children
        )


class InspectionChild(models.Model):
    """A child found injured (or otherwise at risk) at an inspection; becomes a case in one
    step."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="found")
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    sex = models.CharField(
        _("sex"), max_length=1, choices=[("M", _("Boy")), ("F", _("Girl")), ("U", _("Unknown"))]
    )
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=10, blank=True)
    home = models.ForeignKey(
        Location,
        verbose_name=_("where the child lives"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    injury = models.TextField(_("injury"))
    died = models.BooleanField(_("died"), default=False)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.given_name} ({self.age})"
