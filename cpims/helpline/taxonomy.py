"""The category taxonomy: loading the shipped tree, administrators' extensions, versions.

Aggregation never walks the tree at query time: after every change `taxonomy_derive` stores on
each node its CHI main category (`main`), the CHI node it is reported under (`reports_under`,
from `reports_as` or inherited from the parent) and its ICVAC top level (`icvac_rollup`, its
own or inherited). An extension therefore always rolls up to a CHI category.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpims.audit.services import audit_record, field_changes
from cpims.helpline.models import Category, TaxonomyVersion
from cpims.helpline.taxonomy_data import SHIPPED_VERSION, shipped_rows

EDITABLE = [
    "label_mn",
    "label_en",
    "description",
    "icvac_code",
    "harm",
    "reports_as_id",
    "is_active",
    "sort",
]
SLUG = re.compile(r"^[a-z0-9_]{2,30}$")


def version_tree(version: TaxonomyVersion) -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.filter(version=version)}


def taxonomy_derive(version: TaxonomyVersion) -> int:
    """Recompute depth, main, reports_under and icvac_rollup of every node; returns changes."""
    nodes = version_tree(version)

    def chain(node: Category) -> list[Category]:
        path, seen = [node], {node.pk}
        while path[-1].parent_id is not None:
            parent = nodes[path[-1].parent_id]
            if parent.pk in seen:
                raise ValidationError(_("The category tree has a loop."))
            seen.add(parent.pk)
            path.append(parent)
        return path  # self first, main last

    changed = []
    for node in nodes.values():
        path = chain(node)
        reports = None
        for step in path:
            if step.reports_as_id:
                reports = step.reports_as_id
                break
            if step.is_chi:
                reports = step.pk
                break
        icvac = next((step.icvac_code for step in path if step.icvac_code), "")
        derived = {
            "depth": len(path) - 1,
            "main_id": path[-1].pk,
            "reports_under_id": reports or path[-1].pk,
            "icvac_rollup": icvac,
        }
        if any(getattr(node, k) != v for k, v in derived.items()):
            for key, value in derived.items():
                setattr(node, key, value)
            changed.append(node)
    Category.objects.bulk_update(
        changed, ["depth", "main", "reports_under", "icvac_rollup"], batch_size=500
    )
    return len(changed)


@transaction.atomic
def load_taxonomy() -> dict[str, int]:
    """Create the shipped version and any shipped node it lacks; make it current when no
    version is. Safe to run again: existing nodes (and administrators' edits) are kept."""
    code, label = SHIPPED_VERSION
    version, created = TaxonomyVersion.objects.get_or_create(code=code, defaults={"label": label})
    have = {c.code: c for c in Category.objects.filter(version=version)}
    added = []
    for sort, row in enumerate(shipped_rows()):
        if row["code"] in have:
            continue
        node = Category.objects.create(
            version=version,
            code=row["code"],
            parent=have.get(row["parent"]),
            label_en=row["label_en"],
            label_mn=row["label_mn"],
            icvac_code=row["icvac_code"],
            harm=row["harm"],
            is_chi=row["is_chi"],
            reports_as=have.get(row["reports_as"]),
            sort=sort,
        )
        have[node.code] = node
        added.append(node.code)
    made_current = False
    if not TaxonomyVersion.objects.filter(is_current=True).exists():
        version.is_current = made_current = True
        version.save(update_fields=["is_current"])
    if added:
        taxonomy_derive(version)
    if created or added or made_current:
        audit_record(
            actor=None,
            action="helpline.taxonomy_loaded",
            object_type="helpline.TaxonomyVersion",
            object_id=version.pk,
            changes={"added": len(added), "current": version.is_current},
        )
    return {"categories_created": len(added)}


def _check_reports_as(version: TaxonomyVersion, reports_as: Category | None) -> None:
    if reports_as is not None and (reports_as.version_id != version.pk or not reports_as.is_chi):
        raise ValidationError(
            {"reports_as": _("Choose a CHI category of the same taxonomy version.")}
        )


@transaction.atomic
def category_add(
    *,
    actor,
    parent: Category,
    slug: str,
    label_mn: str,
    label_en: str,
    icvac_code: str = "",
    harm: str = "",
    reports_as: Category | None = None,
    description: str = "",
) -> Category:
    """A country extension under an existing node. It cannot be a new main category: the CHI
    main categories are fixed, which is what keeps the annual submission comparable."""
    version = parent.version
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise ValidationError(
            {"slug": _("Use 2–30 lower-case Latin letters, digits or underscores.")}
        )
    code = f"{parent.code}.{slug}"
    if Category.objects.filter(version=version, code=code).exists():
        raise ValidationError({"slug": _("This category already exists.")})
    if not label_mn.strip() or not label_en.strip():
        raise ValidationError({"label_mn": _("Give the label in both languages.")})
    _check_reports_as(version, reports_as)
    last = Category.objects.filter(version=version, parent=parent).order_by("-sort").first()
    node = Category.objects.create(
        version=version,
        code=code,
        parent=parent,
        label_mn=label_mn.strip(),
        label_en=label_en.strip(),
        description=description,
        icvac_code=icvac_code,
        harm=harm,
        is_chi=False,
        reports_as=reports_as,
        sort=(last.sort + 1) if last else parent.sort + 1,
    )
    taxonomy_derive(version)
    node.refresh_from_db()
    audit_record(
        actor=actor,
        action="helpline.category_added",
        object_type="helpline.Category",
        object_id=node.pk,
        changes={"code": code, "version": version.code, "icvac": icvac_code, "harm": harm},
    )
    return node


@transaction.atomic
def category_update(*, actor, category: Category, **fields) -> Category:
    unknown = set(fields) - set(EDITABLE) - {"reports_as"}
    if unknown:
        raise ValueError(f"cannot edit {sorted(unknown)}")
    if "reports_as" in fields:
        reports_as = fields.pop("reports_as")
        _check_reports_as(category.version, reports_as)
        fields["reports_as_id"] = getattr(reports_as, "pk", None)
    before = {k: getattr(category, k) for k in EDITABLE}
    for key, value in fields.items():
        setattr(category, key, value)
    category.full_clean(exclude=["version", "parent", "main", "reports_under", "reports_as"])
    category.save()
    taxonomy_derive(category.version)
    category.refresh_from_db()
    changes = field_changes(before, {k: getattr(category, k) for k in EDITABLE})
    if changes:
        audit_record(
            actor=actor,
            action="helpline.category_updated",
            object_type="helpline.Category",
            object_id=category.pk,
            changes=changes,
        )
    return category


@transaction.atomic
def taxonomy_version_create(
    *, actor, code: str, label: str, clone_from: TaxonomyVersion
) -> TaxonomyVersion:
    """A new version, a copy of `clone_from`, to be changed and then made current."""
    if TaxonomyVersion.objects.filter(code=code).exists():
        raise ValidationError({"code": _("This version already exists.")})
    version = TaxonomyVersion.objects.create(code=code, label=label)
    source = sorted(version_tree(clone_from).values(), key=lambda c: (c.depth, c.sort, c.pk))
    copies: dict[int, Category] = {}
    for node in source:
        copies[node.pk] = Category.objects.create(
            version=version,
            code=node.code,
            parent=copies.get(node.parent_id),
            label_mn=node.label_mn,
            label_en=node.label_en,
            description=node.description,
            icvac_code=node.icvac_code,
            harm=node.harm,
            is_chi=node.is_chi,
            is_active=node.is_active,
            sort=node.sort,
        )
    for node in source:
        if node.reports_as_id:
            Category.objects.filter(pk=copies[node.pk].pk).update(
                reports_as=copies[node.reports_as_id]
            )
    taxonomy_derive(version)
    audit_record(
        actor=actor,
        action="helpline.taxonomy_version_created",
        object_type="helpline.TaxonomyVersion",
        object_id=version.pk,
        changes={"code": code, "from": clone_from.code, "categories": len(copies)},
    )
    return version


@transaction.atomic
def taxonomy_version_activate(*, actor, version: TaxonomyVersion) -> TaxonomyVersion:
    """New contacts are captured with this version; earlier contacts keep theirs."""
    TaxonomyVersion.objects.filter(is_current=True).exclude(pk=version.pk).update(is_current=False)
    TaxonomyVersion.objects.filter(pk=version.pk).update(is_current=True)
    audit_record(
        actor=actor,
        action="helpline.taxonomy_version_activated",
        object_type="helpline.TaxonomyVersion",
        object_id=version.pk,
        changes={"code": version.code},
    )
    version.refresh_from_db()
    return version


def category_harms(category: Category, nodes: dict[int, Category] | None = None) -> list[str]:
    """Case harms for a category: its ICVAC top level and the nearest node's own harm."""
    nodes = nodes or version_tree(category.version)
    harms = [f"icvac{category.icvac_rollup}"] if category.icvac_rollup else []
    node = category
    while node is not None:
        if node.harm:
            harms.append(node.harm)
            break
        node = nodes.get(node.parent_id)
    return harms
