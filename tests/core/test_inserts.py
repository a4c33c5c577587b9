"""rows_insert stores what bulk_create stores, and falls back to it when it must."""

import pytest
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.core.inserts import rows_insert
from cpims.helpline.models import Contact, ContactChild, current_version
from tests.factories import location

pytestmark = pytest.mark.django_db
FIELDS = [f.attname for f in Contact._meta.concrete_fields if f.attname not in ("id", "uid")]


def _contact(**fields) -> Contact:
    return Contact(
        status="completed",
        call_type="data",
        started_at=timezone.now(),
        taxonomy_version=current_version(),
        caller_name="Оюун",
        draft_raw={"нас": [9, None]},
        **fields,
    )


TIMES = ("started_at", "created_at", "updated_at")


def _row(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name in FIELDS if name not in TIMES}


def test_rows_are_stored_as_bulk_create_stores_them(places):
    fast, slow = (
        rows_insert([_contact(), _contact(caller_age=40)]),
        Contact.objects.bulk_create([_contact(), _contact(caller_age=40)]),
    )
    assert all(c.pk and not c._state.adding for c in fast)
    stored = {c.pk: c for c in Contact.objects.all()}
    for mine, theirs in zip(fast, slow, strict=True):
        assert _row(stored[mine.pk]) == _row(stored[theirs.pk]) == _row(mine)
        for name in ("uid", *TIMES):
            assert getattr(stored[mine.pk], name) == getattr(mine, name)
        assert mine.created_at and mine.updated_at  # auto_now_add / auto_now set on the object


def test_foreign_keys_are_taken_from_objects_saved_after_assignment(places):
    contact = _contact()
    child = ContactChild(contact=contact, name="Ану", location=location("110751"))
    rows_insert([contact])  # saved after being assigned to the child
    rows_insert([child])
    assert ContactChild.objects.get(pk=child.pk).contact_id == contact.pk


def test_an_object_with_its_primary_key_set_goes_through_bulk_create(places):
    contact = _contact()
    contact.pk = 987_654
    assert rows_insert([contact]) == [contact]
    assert Contact.objects.filter(pk=987_654).exists()
    assert rows_insert([]) == []


def test_audit_events_are_appended_through_it():
    before = AuditEvent.objects.count()
    from cpims.audit.services import audit_record

    event = audit_record(actor=None, action="test.x", changes={"a": "б"})
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.get(pk=event.pk).changes == {"a": "б"}
