from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cpims.cases.choices import Harm
from cpims.helpline.choices import Icvac


class TaxonomyVersion(models.Model):
    """A complete category tree. Contacts keep the version they were captured with; a change
    of meaning (moving or renaming a node) is a new version, additions fit in the current one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=200)
    is_current = models.BooleanField(_("current"), default=False, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="taxonomy_one_current",
            )
        ]

    def __str__(self) -> str:
        return self.code


class Category(models.Model):
    """One node of the tree: a CHI main category (depth 0), a CHI subcategory or a country
    extension. `main` and `reports_under` are derived from the parent chain (and the optional
    `reports_as`) whenever the tree changes, so aggregation is one join, never a walk."""

    version = models.ForeignKey(
        TaxonomyVersion, on_delete=models.PROTECT, related_name="categories"
    )
    code = models.CharField(_("code"), max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    label_mn = models.CharField(_("label (Mongolian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    description = models.TextField(_("definition"), blank=True)
    icvac_code = models.CharField(
        _("ICVAC category"), max_length=1, choices=Icvac.choices, blank=True
    )
    harm = models.CharField(
        _("case harm"),
        max_length=20,
        choices=Harm.choices,
        blank=True,
        help_text=_("The concern recorded on a case opened from a contact in this category."),
    )
    is_chi = models.BooleanField(_("part of the CHI framework"), default=False)
    reports_as = models.ForeignKey(
        "self",
        verbose_name=_("reported in CHI as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A CHI category of the same version; by default the nearest CHI parent."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    depth = models.PositiveSmallIntegerField(default=0)
    # Derived (see cpims.helpline.taxonomy.taxonomy_derive).
    main = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reports_under = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    icvac_rollup = models.CharField(max_length=1, choices=Icvac.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "sort", "code"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="category_code_unique")
        ]
        indexes = [models.Index(fields=["version", "parent", "sort"], name="category_tree_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "mn").startswith("en") else self.label_mn

    @property
    def is_main(self) -> bool:
        return self.parent_id is None


def current_version() -> TaxonomyVersion | None:
    # At most one is current (a unique constraint): get() needs no ORDER BY, first() would
    # compile one on every contact.
    try:
        return TaxonomyVersion.objects.get(is_current=True)
    except TaxonomyVersion.DoesNotExist:
        return None
