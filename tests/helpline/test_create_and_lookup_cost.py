"""What creating a contact and looking up a caller cost in SQL, and that the cheaper paths
(bench/helpline.py) keep the same answers and the same audit trail."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.audit.services import _jsonable, audit_chain_verify
from cpims.helpline.models import Contact, ContactChild
from cpims.helpline.selectors import caller_lookup
from cpims.helpline.services import _snapshot
from tests.cases.helpers import team
from tests.helpline.helpers import counsellor, data_contact
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db
PHONE = "+97699112233"


def _events(contact) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="helpline.Contact", object_id=str(contact.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_whole_contact_is_audited_as_started_then_completed_with_its_snapshot(places):
    contact = data_contact(counsellor(), caller_phone=PHONE, children=[(9, "F", "110751")])
    assert _events(contact) == ["helpline.contact_started", "helpline.contact_completed"]
    done = AuditEvent.objects.get(action="helpline.contact_completed", object_id=str(contact.pk))
    assert done.changes["categories"] == ["violence.physical"]
    assert [c["age_years"] for c in done.changes["children"]] == [9]
    assert done.changes["caller_phone"] == PHONE
    assert (contact.status, contact.outcome) == ("completed", "counselled")
    assert audit_chain_verify() == []


def test_an_emergency_is_audited_as_started_before_its_escalation(places):
    team()
    contact = data_contact(counsellor(), urgency="emergency", children=[(8, "M", "110751")])
    events = _events(contact)
    assert events[0] == "helpline.contact_started"
    assert events[-1] == "helpline.contact_completed"
    assert len(events) > 2, "the escalation's own entries sit between them"
    assert contact.escalations.exists() and contact.case_id
    assert audit_chain_verify() == []


def test_the_audit_chain_is_locked_only_for_the_end_of_a_contact(places):
    """Every audited write waits for the chain head: creating a contact holds it for its
    audit entries and the commit, not for the whole contact."""
    user = counsellor()
    with CaptureQueriesContext(connection) as captured:
        contact = data_contact(
            user,
            caller_phone=PHONE,
            children=[(9, "F", "110751"), (12, "M", "110751")],
            narrative="...",
        )
    assert contact.children.count() == 2
    sql = [q["sql"] for q in captured.captured_queries]
    first_lock = next(i for i, s in enumerate(sql) if "audit_auditchainhead" in s)
    held = [s for s in sql[first_lock:] if not s.upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert all("audit_" in s for s in held), held
    assert len(held) == 3  # both entries: read the head, append the two, move the head


def test_a_whole_contact_is_written_once_and_its_snapshot_equals_reading_it_back(places):
    """The completed contact is INSERTed as completed (no UPDATE after), and the snapshot
    built from the rows written is what reading them back gives."""
    with CaptureQueriesContext(connection) as captured:
        contact = data_contact(
            counsellor(),
            caller_phone=PHONE,
            children=[(12, "M", "110751", "Бат"), (9, "F", "110751")],
            narrative="...",
        )
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE")) and 'helpline_contact" ' in q["sql"]
    ]
    assert [sql.split(None, 1)[0] for sql in writes] == ["INSERT"], writes
    done = AuditEvent.objects.get(action="helpline.contact_completed", object_id=str(contact.pk))
    fresh = Contact.objects.get(pk=contact.pk)
    assert done.changes == _jsonable(_snapshot(fresh))
    assert [c["name"] for c in done.changes["children"]] == ["Бат", "Хүүхэд 1"]


CHILD = {"name": "Тэмүүлэн", "age_years": 9, "sex": "F", "location": "110751"}


def test_a_data_contact_is_answered_from_what_was_written_as_a_read_returns_it(places):
    make_person(given_name="Оюун", place="110751", phones=[PHONE])
    client = Client()
    client.force_login(counsellor())
    body = {
        "caller_phone": "9911 2233",
        "caller_location": "110751",
        "urgency": "high",
        "primary_category": "violence.physical",
        "categories": ["violence.physical", "violence.sexual"],
        "actions": ["counselling", "information", "counselling"],
        "vulnerable_groups": ["single_parent"],
        "children": [CHILD, {**CHILD, "name": "Ану", "location": None}],
        "perpetrators": [{"description": "хойд эцэг", "relationship": "step_parent"}],
        "narrative": "...",
    }
    with CaptureQueriesContext(connection) as captured:
        created = client.post("/api/v1/contacts/", body, content_type="application/json")
    # Read the capture now: Django empties the query log when the next request starts.
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert created.status_code == 201, created.content
    assert len(captured.captured_queries) > 10
    answer = created.json()
    assert answer == client.get(f"/api/v1/contacts/{answer['id']}/").json()
    assert answer["categories"] == ["violence.physical", "violence.sexual"]
    assert answer["actions"] == ["counselling", "information"]
    assert [c["name"] for c in answer["children"]] == ["Тэмүүлэн", "Ану"]
    # No contact or contact row is read back (the repeat-caller check is `SELECT 1 AS "a"`).
    assert not [sql for sql in reads if sql.startswith('SELECT "helpline_contact')], reads
    # The taxonomy version comes with the categories, not from a query of its own.
    assert not [sql for sql in reads if 'FROM "helpline_taxonomyversion"' in sql], reads
    assert answer["taxonomy_version"] == Contact.objects.get(pk=answer["id"]).taxonomy_version.code


def test_the_lookup_endpoint_costs_the_same_for_3_or_10_earlier_contacts(places):
    user = counsellor()
    client = Client()
    client.force_login(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/contacts/lookup/", {"phone": "99112233"})
        assert response.status_code == 200
        return len(captured.captured_queries)

    for _ in range(3):
        data_contact(user, caller_phone=PHONE, children=[(9, "F", "110751")])
    few = queries()
    for _ in range(7):
        data_contact(user, caller_phone=PHONE, children=[(9, "F", "110751")])
    assert queries() == few


def test_the_latest_contacts_merge_the_number_the_callback_and_the_children(places):
    user = counsellor()
    now = timezone.now()
    by_phone = [
        data_contact(user, caller_phone=PHONE, started_at=now - timedelta(days=30 + i))
        for i in range(11)
    ]
    callback = data_contact(
        user,
        caller_phone="+97688112233",
        callback_requested=True,
        callback_at=now,
        callback_number=PHONE,
        callback_consent=True,
        started_at=now - timedelta(days=2),
    )
    mother = make_person(given_name="Оюун", place="110751", phones=[PHONE])
    about_child = data_contact(user, started_at=now - timedelta(days=1))
    ContactChild.objects.create(contact=about_child, person=mother, name="Оюун")
    Contact.objects.filter(pk=by_phone[0].pk).update(status="discarded")

    result = caller_lookup(user=user, phone="9911 2233")
    assert result.contact_count == 12  # 10 left by phone + the callback + the child
    assert [c.pk for c in result.contacts] == [
        about_child.pk,
        callback.pk,
        *[c.pk for c in by_phone[1:9]],
    ]
    assert result.persons == [mother]


def test_a_one_click_contact_is_answered_from_memory_with_what_a_read_returns(places):
    client = Client()
    client.force_login(counsellor())
    with CaptureQueriesContext(connection) as captured:
        created = client.post(
            "/api/v1/contacts/quick/", {"call_type": "prank"}, content_type="application/json"
        )
    # Read the capture now: Django empties the query log when the next request starts.
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "helpline_contact' in q["sql"]]
    assert created.status_code == 201, created.content
    assert len(captured.captured_queries) > 3 and reads == []
    body = created.json()
    assert body == client.get(f"/api/v1/contacts/{body['id']}/").json()
    assert body["categories"] == body["children"] == body["actions"] == []
