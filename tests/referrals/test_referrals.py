from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.cases.errors import TransitionError
from cpims.cases.services import consent_record
from cpims.notifications.models import Notification
from cpims.referrals import services
from cpims.referrals.models import Delivery
from cpims.referrals.reports import referral_report
from tests.cases.helpers import officer, register, team, worker_of
from tests.factories import make_user
from tests.referrals.helpers import make_service, provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places):
    mdt = team()
    worker = worker_of(mdt)
    shelter_agency = provider()
    staff = make_user(role="service_provider", scope="11", agency=shelter_agency)
    service = make_service(agency=shelter_agency, covers=("11",))
    case = register(worker, risk="high")
    case.children.first().person.phones.create(number="+97699112233")
    return {
        "worker": worker,
        "staff": staff,
        "service": service,
        "case": case,
        "boss": officer("11"),
    }


def refer(world, **kw):
    return services.referral_create(
        actor=world["worker"],
        case=world["case"],
        service=world["service"],
        urgency=kw.pop("urgency", "urgent"),
        reason="needs shelter",
        **kw,
    )


def test_no_referral_without_consent_or_a_recorded_basis(world):
    with pytest.raises(ValidationError, match="consent"):
        refer(world)
    consent_record(
        actor=world["worker"],
        case=world["case"],
        purpose="referral",
        basis="consent",
        given_by="mother",
    )
    with pytest.raises(ValidationError, match="sharing"):
        refer(world, share_contact=True)
    referral = refer(world)
    assert referral.due_at - referral.sent_at <= timedelta(hours=48)
    assert Notification.objects.filter(user=world["staff"], kind="referral_received").exists()


def test_the_whole_lifecycle_and_illegal_steps(world):
    consent_record(
        actor=world["worker"],
        case=world["case"],
        purpose="referral",
        basis="consent",
        given_by="mother",
    )
    referral = refer(world)
    staff = world["staff"]
    with pytest.raises(TransitionError, match="Only the provider"):
        services.referral_step(actor=world["worker"], referral=referral, to="accepted")
    services.referral_step(actor=staff, referral=referral, to="received")
    services.referral_step(actor=staff, referral=referral, to="accepted")
    with pytest.raises(TransitionError):
        services.referral_step(actor=staff, referral=referral, to="declined", reason="no_capacity")
    services.referral_step(actor=staff, referral=referral, to="in_progress")
    services.referral_step(
        actor=staff,
        referral=referral,
        to="completed",
        feedback="Stayed 5 nights; safe with grandmother now",
    )
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.received_at and referral.responded_at
    assert referral.started_at and referral.finished_at
    with pytest.raises(TransitionError):
        services.referral_step(actor=world["worker"], referral=referral, to="withdrawn")
    actions = list(
        AuditEvent.objects.filter(
            object_type="cases.Case",
            object_id=str(world["case"].pk),
            action__startswith="cases.referral_",
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "cases.referral_sent",
        "cases.referral_received",
        "cases.referral_accepted",
        "cases.referral_in_progress",
        "cases.referral_completed",
    ]
    assert Notification.objects.filter(user=world["worker"], kind="referral_completed").exists()


def test_declining_needs_a_reason_and_the_referrer_can_withdraw(world):
    consent_record(
        actor=world["worker"],
        case=world["case"],
        purpose="referral",
        basis="child_safety",
        notes="immediate danger",
    )
    first = refer(world)
    with pytest.raises(ValidationError):
        services.referral_step(actor=world["staff"], referral=first, to="declined")
    services.referral_step(
        actor=world["staff"], referral=first, to="declined", reason="no_capacity"
    )
    second = refer(world)
    services.referral_step(actor=world["worker"], referral=second, to="withdrawn")
    second.refresh_from_db()
    assert second.status == "withdrawn"
    report = referral_report(user=world["boss"])
    assert report["declined_for_capacity"] == 1
    row = report["by_type"][0]
    assert (row["sent"], row["declined"], row["acceptance_rate"]) == (2, 1, 0.0)


def test_a_provider_reads_only_what_is_shared_never_the_case(world):
    consent_record(
        actor=world["worker"],
        case=world["case"],
        purpose="referral",
        basis="consent",
        given_by="mother",
    )
    referral = refer(world)
    client = Client()
    client.force_login(world["staff"])
    page = client.get(f"/services/{referral.pk}/").content.decode()
    child = world["case"].children.first().person
    assert child.full_name in page
    assert "+97699112233" not in page and world["case"].number not in page
    api = client.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert "contact" not in api and "case" not in api and api["child"]["name"] == child.full_name
    assert client.get(f"/cases/{world['case'].pk}/").status_code == 403
    assert client.get(f"/api/v1/cases/{world['case'].pk}/").status_code == 403
    assert client.get(f"/registry/{child.pk}/").status_code == 403
    consent_record(
        actor=world["worker"],
        case=world["case"],
        purpose="sharing",
        basis="consent",
        given_by="mother",
    )
    shared = refer(world, share_contact=True)
    api = client.get(f"/api/v1/referrals/{shared.pk}/").json()
    assert api["contact"]["phones"] == ["+97699112233"]
    other_provider = make_user(role="service_provider", scope="11", agency=provider("ngo-other"))
    client.force_login(other_provider)
    assert client.get(f"/api/v1/referrals/{shared.pk}/").status_code == 404


def test_an_unanswered_referral_escalates_to_the_referrer_and_supervisor(world):
    from cpims.referrals.tasks import referrals_escalate_overdue

    consent_record(
        actor=world["worker"],
        case=world["case"],
        purpose="referral",
        basis="consent",
        given_by="mother",
    )
    refer(world, urgency="emergency")
    assert referrals_escalate_overdue() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        assert referrals_escalate_overdue() == 1
        assert referrals_escalate_overdue() == 0
    assert Notification.objects.filter(user=world["worker"], kind="referral_overdue").exists()
    assert Notification.objects.filter(user=world["boss"], kind="referral_overdue").exists()


def test_deliveries_are_typed_units(world):
    consent_record(
        actor=world["worker"],
        case=world["case"],
        purpose="referral",
        basis="consent",
        given_by="mother",
    )
    referral = refer(world)
    with pytest.raises(ValidationError):
        services.delivery_record(
            actor=world["staff"],
            case=world["case"],
            service=world["service"],
            referral=referral,
            delivered_on=date(2026, 1, 1),
            units=Decimal("0"),
        )
    delivery = services.delivery_record(
        actor=world["staff"],
        case=world["case"],
        service=world["service"],
        referral=referral,
        delivered_on=date(2026, 1, 1),
        ended_on=date(2026, 1, 6),
        units=Decimal("5"),
    )
    assert (delivery.unit, delivery.level, delivery.units) == (
        "night",
        "emergency",
        Decimal("5.00"),
    )
    assert delivery.location == world["case"].location
    financial = make_service(
        agency=world["service"].provider, service_type="financial", covers=("11",)
    )
    cash = services.delivery_record(
        actor=world["worker"],
        case=world["case"],
        service=financial,
        delivered_on=date(2026, 2, 1),
        units=Decimal("150000.50"),
    )
    assert cash.unit == "mnt" and Delivery.objects.count() == 2


def test_activities_count_people_reached(world):
    activity = services.activity_record(
        actor=world["worker"],
        held_on=date(2026, 10, 1),
        location=world["case"].location,
        organiser=world["worker"].agency,
        topic="online_safety",
        title="Safe online (school 5)",
        girls_12_17=40,
        boys_12_17=35,
        women=3,
    )
    assert (activity.children_reached, activity.people_reached) == (75, 78)
    with pytest.raises(ValidationError):
        services.activity_record(
            actor=world["worker"],
            held_on=date(2026, 10, 1),
            location=world["case"].location,
            organiser=world["worker"].agency,
            topic="parenting",
            title="x",
            men=-1,
        )
