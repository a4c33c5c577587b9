"""Merging two records of one person, and undoing it.

Every row that points at the merged record (phones, relationships, and whatever later apps
link to a person: case children, contact callers…) is found through the model's reverse
relations, so a new link type is moved without changing this code. The ids moved are kept on
the PersonMerge row, so undo moves exactly those rows back.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.audit.services import audit_record, snapshot
from cpims.registry.keys import apply_keys
from cpims.registry.models import Person, PersonMerge, PersonPhone, Relationship

MERGEABLE_FIELDS = [
    "family_name",
    "patronymic",
    "given_name",
    "other_names",
    "sex",
    "date_of_birth",
    "dob_estimated",
    "registration_number",
    "nationality",
    "disability",
    "languages",
    "location_id",
    "address",
]
_SKIP = {(PersonMerge, "survivor"), (PersonMerge, "merged"), (Person, "merged_into")}


def _links():
    for rel in Person._meta.related_objects:
        if isinstance(rel, models.ManyToManyRel):
            continue
        if (rel.related_model, rel.field.name) in _SKIP:
            continue
        yield rel.related_model, rel.field.name


def _movable_ids(model, field: str, merged: Person, survivor: Person) -> list[int]:
    rows = model.objects.filter(**{field: merged})
    if model is PersonPhone:
        have = survivor.phones.values_list("number", flat=True)
        rows = rows.exclude(number__in=list(have))
    elif model is Relationship:
        other = "to_person" if field == "from_person" else "from_person"
        rows = rows.exclude(**{other: survivor})  # a link between the two records themselves
        existing = Relationship.objects.filter(**{field: survivor}).values_list(other, "kind")
        for other_id, kind in existing:
            rows = rows.exclude(**{f"{other}_id": other_id, "kind": kind})
    return list(rows.values_list("pk", flat=True))


@transaction.atomic
def person_merge(
    *,
    actor,
    survivor: Person,
    merged: Person,
    take_from_merged: list[str] | None = None,
    reason: str = "",
) -> PersonMerge:
    """Merge `merged` into `survivor`. `take_from_merged` names fields whose value the reviewer
    chose from the merged record (side-by-side review)."""
    locked = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])
    }
    survivor, merged = locked.get(survivor.pk), locked.get(merged.pk)
    if survivor is None or merged is None or survivor.pk == merged.pk:
        raise ValidationError(_("Choose two different records."))
    if survivor.is_merged or merged.is_merged:
        raise ValidationError(_("One of these records was already merged."))
    take = [f for f in (take_from_merged or []) if f in MERGEABLE_FIELDS]
    before = snapshot(survivor, MERGEABLE_FIELDS)
    moved: dict[str, list[int]] = {}
    for model, field in _links():
        ids = _movable_ids(model, field, merged, survivor)
        if ids:
            model.objects.filter(pk__in=ids).update(**{field: survivor})
            moved[f"{model._meta.label}.{field}"] = ids
    for name in take:
        setattr(survivor, name, getattr(merged, name))
    apply_keys(survivor)
    survivor.version += 1
    survivor.save()
    merged.merged_into = survivor
    merged.version += 1
    merged.save(update_fields=["merged_into", "version", "updated_at"])
    record = PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        reason=reason,
        merged_by_id=getattr(actor, "pk", None),
        moved={"links": moved, "survivor_before": before, "taken": take},
    )
    audit_record(
        actor=actor,
        action="registry.person_merged",
        object_type="registry.Person",
        object_id=survivor.pk,
        changes={
            "merged": merged.pk,
            "merge": record.pk,
            "moved": moved,
            "taken": take,
            "reason": reason,
        },
    )
    return record


@transaction.atomic
def person_merge_undo(*, actor, merge: PersonMerge) -> PersonMerge:
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    if survivor.is_merged:
        raise ValidationError(_("Undo the later merge of the surviving record first."))
    from django.apps import apps

    for key, ids in merge.moved.get("links", {}).items():
        label, field = key.rsplit(".", 1)
        model = apps.get_model(label)
        model.objects.filter(pk__in=ids, **{field: survivor}).update(**{field: merged})
    for name, value in merge.moved.get("survivor_before", {}).items():
        if name in merge.moved.get("taken", []):
            field = Person._meta.get_field(name)
            setattr(survivor, field.attname, field.to_python(value))
    apply_keys(survivor)
    survivor.version += 1
    survivor.save()
    merged.merged_into = None
    merged.version += 1
    merged.save(update_fields=["merged_into", "version", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by_id = getattr(actor, "pk", None)
    merge.save(update_fields=["undone_at", "undone_by_id"])
    audit_record(
        actor=actor,
        action="registry.merge_undone",
        object_type="registry.Person",
        object_id=survivor.pk,
        changes={"merged": merged.pk, "merge": merge.pk},
    )
    return merge
