import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from cpims.audit.models import AuditEvent
from cpims.helpline.models import Contact, IntegrationToken, TelephonyEvent
from cpims.helpline.selectors import incoming_calls_for
from cpims.helpline.telephony import extension_assign, sign, token_create
from tests.helpline.helpers import counsellor

pytestmark = pytest.mark.django_db
URL = "/api/v1/telephony/events"


@pytest.fixture
def pbx(places):
    token, plain, secret = token_create(actor=None, name="asterisk")
    user = counsellor()
    extension_assign(actor=None, extension="201", user=user)
    return {"token": token, "plain": plain, "secret": secret, "counsellor": user}


def post(pbx, event: dict, *, secret=None, token=None):
    body = json.dumps(event).encode()
    return Client().post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token or pbx['plain']}",
        HTTP_X_CPIMS_SIGNATURE=sign(body, secret or pbx["secret"]),
    )


def ring(call="c-1", event_id="e-1", kind="ringing", **extra):
    return {
        "event_id": event_id,
        "type": kind,
        "call_id": call,
        "caller_number": "9911 2233",
        "extension": "201",
        "occurred_at": "2026-03-02T10:00:00+08:00",
        **extra,
    }


def test_only_the_hash_of_the_token_is_stored(pbx):
    stored = IntegrationToken.objects.get()
    assert pbx["plain"] not in {stored.token_hash, stored.prefix}
    assert len(stored.token_hash) == 64 and pbx["plain"].startswith(stored.prefix)


def test_ringing_opens_a_draft_that_pops_on_the_counsellors_screen(pbx):
    response = post(pbx, ring(occurred_at=""))  # no time given: received now
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(telephony_call_id="c-1")
    assert (contact.status, contact.caller_phone, contact.counsellor) == (
        "draft",
        "+97699112233",
        pbx["counsellor"],
    )
    assert list(incoming_calls_for(pbx["counsellor"])) == [contact]
    client = Client()
    client.force_login(pbx["counsellor"])
    popped = client.get("/helpline/incoming/")
    assert popped.status_code == 200 and "+97699112233" in popped.content.decode()


def test_answered_then_ended_updates_the_same_contact(pbx):
    post(pbx, ring())
    post(pbx, ring(event_id="e-2", kind="answered", occurred_at="2026-03-02T10:00:05+08:00"))
    post(pbx, ring(event_id="e-3", kind="ended", occurred_at="2026-03-02T10:04:05+08:00"))
    contact = Contact.objects.get()
    assert contact.answered_at and contact.ended_at and contact.duration_seconds == 240
    assert contact.status == "draft"  # the counsellor still classifies it
    assert TelephonyEvent.objects.filter(contact=contact).count() == 3


def test_a_call_never_answered_is_counted_as_unanswered(pbx):
    post(pbx, ring())
    post(pbx, ring(event_id="e-9", kind="ended", occurred_at="2026-03-02T10:00:30+08:00"))
    contact = Contact.objects.get()
    assert (contact.status, contact.call_type) == ("completed", "unanswered")


def test_the_same_event_twice_changes_nothing(pbx):
    first = post(pbx, ring())
    counts = (Contact.objects.count(), TelephonyEvent.objects.count(), AuditEvent.objects.count())
    again = post(pbx, ring(caller_number="88001122"))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == {"contact": first.json()["contact"], "duplicate": True}
    assert (
        Contact.objects.count(),
        TelephonyEvent.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert Contact.objects.get().caller_phone == "+97699112233"


def test_a_wrong_signature_is_refused_and_nothing_is_written(pbx):
    before = (Contact.objects.count(), TelephonyEvent.objects.count(), AuditEvent.objects.count())
    assert post(pbx, ring(), secret="not-the-secret").status_code == 403
    body = json.dumps(ring()).encode()
    tampered = Client().post(
        URL,
        data=body.replace(b"2233", b"2234"),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {pbx['plain']}",
        HTTP_X_CPIMS_SIGNATURE=sign(body, pbx["secret"]),
    )
    assert tampered.status_code == 403
    unsigned = Client().post(
        URL, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {pbx['plain']}"
    )
    assert unsigned.status_code == 403
    assert post(pbx, ring(), token="cpt_wrong").status_code == 401
    assert Client().post(URL, data=body, content_type="application/json").status_code == 401
    IntegrationToken.objects.update(is_active=False)
    assert post(pbx, ring()).status_code == 401
    after = (Contact.objects.count(), TelephonyEvent.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_the_management_command_prints_the_token_once(places):
    out = StringIO()
    call_command("telephony_token", "--create", "freeswitch", stdout=out)
    text = out.getvalue()
    token = IntegrationToken.objects.get(name="freeswitch")
    assert "cpt_" in text and token.token_hash not in text
    call_command("telephony_token", "--list", stdout=(listing := StringIO()))
    assert "freeswitch" in listing.getvalue() and "cpt_" + "x" not in listing.getvalue()
