"""Everything held about one person, for a lawful subject access request."""

from django.apps import apps
from django.db import models

from cpims.audit.models import AuditEvent
from cpims.audit.services import audit_record
from cpims.registry.models import Person


def _row(obj) -> dict:
    data = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        data[f.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def subject_access_report(*, actor, person: Person) -> dict:
    """The person's record and every row that links to them, found through the model's reverse
    relations (so records added by later modules are included), plus the audit trail."""
    report = {"person": _row(person), "linked": {}}
    for rel in Person._meta.related_objects:
        if isinstance(rel, models.ManyToManyRel):
            continue
        model = rel.related_model
        rows = model._default_manager.filter(**{rel.field.name: person})
        if rows.exists():
            key = f"{model._meta.label}.{rel.field.name}"
            report["linked"][key] = [_row(r) for r in rows[:1000]]
    case_model = apps.get_model("cases", "Case")
    case_ids = list(case_model.objects.filter(children__person=person).values_list("pk", flat=True))
    report["cases"] = [_row(c) for c in case_model.objects.filter(pk__in=case_ids)]
    report["audit"] = list(
        AuditEvent.objects.filter(object_type="registry.Person", object_id=str(person.pk))
        .order_by("seq")
        .values("seq", "at", "actor_label", "action", "changes")[:5000]
    )
    audit_record(
        actor=actor,
        action="privacy.subject_access",
        object_type="registry.Person",
        object_id=person.pk,
        changes={"sections": sorted(report["linked"])},
    )
    return report
