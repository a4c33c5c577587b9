from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Location(models.Model):
    """A place in the administrative tree: country → aimag/capital → soum/district → bag/khoroo.

    `path` is a materialised path of codes ("MN/11/1107/"), so "is X inside Y" is a prefix test
    on one indexed column instead of a walk up the tree.
    """

    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        AIMAG = "aimag", _("Aimag / capital city")
        SOUM = "soum", _("Soum / district")
        BAG = "bag", _("Bag / khoroo")

    DEPTH_BY_LEVEL = {"country": 0, "aimag": 1, "soum": 2, "bag": 3}

    code = models.CharField(_("code"), max_length=16, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, db_index=True)
    name_mn = models.CharField(_("name (Mongolian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["path"]
        indexes = [
            # PostgreSQL: a pattern index so `path LIKE 'MN/11/%'` uses the index under any
            # collation (other backends ignore opclasses).
            models.Index(
                fields=["path"], name="geo_location_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "mn").startswith("en") else self.name_mn

    def contains(self, other: "Location") -> bool:
        """True when `other` is this place or lies inside it (no query)."""
        return other.path.startswith(self.path)
