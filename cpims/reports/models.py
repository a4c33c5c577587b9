from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ReferenceValue(models.Model):
    """A survey-based context indicator (e.g. SDG 16.2.1 violent discipline) entered with its
    source and year. Shown beside the administrative indicators, never mixed into them."""

    code = models.CharField(_("code"), max_length=40)
    name_mn = models.CharField(_("name (Mongolian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, default="%")
    source = models.CharField(_("source"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "year", "source"], name="reference_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.value}{self.unit}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "mn").startswith("en") else self.name_mn


class IndicatorSnapshot(models.Model):
    """A figure computed ahead for the dashboards at national scale (see `reports.snapshots`):
    an indicator's headline result, or the counts behind a dashboard section or trend, for a
    place and a period. Only figures that depend on nothing but the place and the period are
    kept, so any reader allowed to see the place may be shown them."""

    place = models.ForeignKey("geo.Location", on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()
    code = models.CharField(max_length=40)  # an indicator code, "section:…" or "trend:…"
    payload = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["place", "start", "end", "code"], name="indicator_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.place_id} {self.start}–{self.end}"
