from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cpims.audit.models import AppendOnlyError, AuditEvent
from cpims.audit.services import audit_chain_verify, audit_record

pytestmark = pytest.mark.django_db


def disable_append_only_guard():
    """What an attacker with owner rights would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")


def three_events():
    return [
        audit_record(
            actor=None, action="test.event", object_type="t", object_id=i, changes={"n": i}
        )
        for i in range(3)
    ]


def test_entries_are_chained():
    first, second, third = three_events()
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert audit_chain_verify() == []


def test_verify_audit_passes_on_a_clean_log():
    three_events()
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "3 entries verified" in out.getvalue()


def test_an_edited_entry_is_named():
    events = three_events()
    disable_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.forged", events[1].pk]
        )
    err = StringIO()
    with pytest.raises(CommandError, match="FAILED"):
        call_command("verify_audit", stderr=err)
    assert f"audit entry #2 (id {events[1].pk})" in err.getvalue()
    assert "edited" in err.getvalue()


def test_a_deleted_entry_is_detected():
    events = three_events()
    disable_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    problems = audit_chain_verify()
    assert any("#2" in str(p) and "deleted" in str(p) for p in problems)


def test_deleting_the_last_entry_is_detected_through_the_chain_head():
    events = three_events()
    disable_append_only_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert any("deleted at the end" in str(p) for p in audit_chain_verify())


def test_the_database_refuses_updates_and_deletes():
    event = three_events()[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":  # SQLite: deletion is caught by the chain instead
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_the_model_refuses_changes():
    event = three_events()[0]
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_an_entry_rolls_back_with_its_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.rolled_back")
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()
    audit_record(actor=None, action="test.after")
    assert audit_chain_verify() == []


def test_entries_written_together_are_stored_as_the_orm_reads_them(places):
    from cpims.audit.context import RequestOrigin, current_origin
    from cpims.audit.services import AuditEntry, audit_record_many
    from tests.factories import make_user

    user = make_user(role="counsellor", username="Болд")
    token = current_origin.set(RequestOrigin(ip="2001:db8::1", path="/х/"))
    try:
        before = audit_record(actor=None, action="test.before")
        written = audit_record_many(
            actor=user,
            entries=[
                AuditEntry("test.one", "t", 7, {"нэр": "Оюун", "n": [1, None], "ok": True}),
                AuditEntry("test.two", "t", 7),
            ],
        )
    finally:
        current_origin.reset(token)
    stored = list(AuditEvent.objects.filter(seq__gt=before.seq).order_by("seq"))
    assert [e.pk for e in stored] == [e.pk for e in written] and all(e.pk for e in written)
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    for mine, read in zip(written, stored, strict=True):
        assert {f: getattr(mine, f) for f in fields} == {f: getattr(read, f) for f in fields}
    assert [e.seq for e in stored] == [before.seq + 1, before.seq + 2]
    assert stored[0].prev_hash == before.hash and stored[1].prev_hash == stored[0].hash
    assert stored[0].changes == {"нэр": "Оюун", "n": [1, None], "ok": True}
    assert (stored[0].actor_label, stored[0].ip, stored[0].path) == ("Болд", "2001:db8::1", "/х/")
    assert audit_chain_verify() == []
