"""A contact's rows: categories, actions, vulnerable groups, children and perpetrators.

Used by the contact services (`cpims.helpline.services`) inside their transactions. A new
contact (created in the same transaction) gets one bulk INSERT per kind and the written rows
back, so its audit snapshot and API answer need not read them again.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cpims.core.inserts import rows_insert
from cpims.helpline.models import (
    Category,
    Contact,
    ContactAction,
    ContactCategory,
    ContactChild,
    ContactPerpetrator,
    ContactVulnerability,
)

RELATIONS = ("categories", "children", "perpetrators", "actions", "vulnerabilities")


@dataclass
class WrittenRows:
    """The rows a new contact was given, by relation name (as `Contact`'s related names)."""

    rows: dict[str, list] = field(default_factory=lambda: {name: [] for name in RELATIONS})

    def __getitem__(self, name: str) -> list:
        return self.rows[name]


def categories_resolve(
    contact: Contact, categories: list[Category], primary: Category | None
) -> list[Category]:
    """The contact's categories in order (primary first when it was not listed), checked
    against the contact's taxonomy version; sets the primary category on the contact."""
    categories = list(dict.fromkeys(categories))
    if primary is None and categories:
        primary = categories[0]
    if primary is not None and primary not in categories:
        categories.insert(0, primary)
    for category in categories:
        if category.version_id != contact.taxonomy_version_id:
            raise ValidationError(
                {"categories": _("Categories must come from the contact's taxonomy version.")}
            )
    contact.primary_category = primary
    return categories


def categories_write(contact: Contact, categories: list[Category], *, new: bool) -> list:
    if not new:
        ContactCategory.objects.filter(contact=contact).delete()
    return rows_insert(
        [
            ContactCategory(contact=contact, category=c, is_primary=c == contact.primary_category)
            for c in categories
        ]
    )


def values_write(model, contact: Contact, column: str, values: list[str], *, new: bool) -> list:
    """Rows holding one value each (actions, vulnerable groups); an edit keeps the rows whose
    value stays and deletes the rest."""
    values = list(dict.fromkeys(values))
    have = set()
    if not new:
        model.objects.filter(contact=contact).exclude(**{f"{column}__in": values}).delete()
        have = set(model.objects.filter(contact=contact).values_list(column, flat=True))
    return rows_insert([model(contact=contact, **{column: v}) for v in values if v not in have])


def ordered_write(model, contact: Contact, rows: list, values_of, *, new: bool) -> list:
    """Make the contact's rows of `model` (children, perpetrators) match `rows`, in order:
    a new contact gets one bulk INSERT; an edit updates rows by id and deletes the rest."""
    if new:
        return rows_insert(
            [model(contact=contact, sort=sort, **values_of(row)) for sort, row in enumerate(rows)]
        )
    current = model.objects.filter(contact=contact)
    existing = {item.pk: item for item in current}
    keep = []
    for sort, row in enumerate(rows):
        item = (existing.get(row.id) if row.id else None) or model(contact=contact)
        for name, value in values_of(row).items():
            setattr(item, name, value)
        item.sort = sort
        item.save()
        keep.append(item)
    current.exclude(pk__in=[item.pk for item in keep]).delete()
    return keep


def child_values(row) -> dict:
    return {
        "person": row.person,
        "name": row.name[:100],
        "age_years": row.age_years,
        "sex": row.sex,
        "location": row.location,
    }


def perpetrator_values(row) -> dict:
    return {
        "person": row.person,
        "description": row.description[:300],
        "relationship": row.relationship,
        "lives_with_child": row.lives_with_child,
        "sex": row.sex,
    }


def rows_write(contact: Contact, data, categories: list[Category] | None, *, new: bool):
    """Write what `data` (a `ContactData`) gives for each kind of row; `None` leaves a kind
    as it is. Returns the rows written (complete only for a new contact)."""
    written = WrittenRows()
    if categories is not None:
        written.rows["categories"] = categories_write(contact, categories, new=new)
    if data.actions is not None:
        written.rows["actions"] = values_write(
            ContactAction, contact, "action", data.actions, new=new
        )
    if data.vulnerable_groups is not None:
        written.rows["vulnerabilities"] = values_write(
            ContactVulnerability, contact, "group", data.vulnerable_groups, new=new
        )
    if data.children is not None:
        written.rows["children"] = ordered_write(
            ContactChild, contact, data.children, child_values, new=new
        )
    if data.perpetrators is not None:
        written.rows["perpetrators"] = ordered_write(
            ContactPerpetrator, contact, data.perpetrators, perpetrator_values, new=new
        )
    return written


def snapshot_of_written(written: WrittenRows) -> dict:
    """The row part of a new contact's audit snapshot, from the rows just written (equal to
    reading them back: `services._snapshot`)."""
    return {
        "categories": sorted(row.category.code for row in written["categories"]),
        "children": [
            {
                "person_id": c.person_id,
                "name": c.name,
                "age_years": c.age_years,
                "sex": c.sex,
                "location_id": c.location_id,
            }
            for c in written["children"]
        ],
        "perpetrators": [
            {"person_id": p.person_id, "description": p.description, "relationship": p.relationship}
            for p in written["perpetrators"]
        ],
        "actions": sorted(row.action for row in written["actions"]),
        "vulnerable_groups": sorted(row.group for row in written["vulnerabilities"]),
    }


def relations_prime(contact: Contact, written: WrittenRows) -> None:
    """Load a new contact's relations with the rows just written, as a prefetch would, so
    reading them (the API's answer) costs no query."""
    cache = contact.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in RELATIONS:
        rows = getattr(contact, name).all()
        rows._result_cache = list(written[name])
        rows._prefetch_done = True
        cache[name] = rows


def relations_primed(contact: Contact) -> bool:
    return set(RELATIONS) <= set(getattr(contact, "_prefetched_objects_cache", {}))
