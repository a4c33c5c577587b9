"""Referral times and acceptance by service type, and reviews on time, on a hand-built dataset
(period: 2025)."""

from decimal import Decimal

import pytest
from django.test import Client

from cpims.cases.models import Task
from cpims.referrals.models import Referral
from cpims.reports.indicators import compute
from tests.cases.helpers import register, team, worker_of
from tests.factories import location, make_user
from tests.referrals.helpers import make_service, provider
from tests.reports.helpers import PERIOD, at


def run(code, user, place="MN"):
    return compute(code, period=PERIOD, place=location(place), user=user)


def counts(result, dimension):
    return {key: n for key, _label, n in result.breakdowns[dimension] if n}


def values(result, dimension):
    return {key: v for key, _label, v in result.values_by[dimension] if v is not None}


@pytest.fixture
def analyst(places):
    return make_user(role="national_analyst", scope="MN")


@pytest.fixture
def referrals(analyst):
    worker = worker_of(team())
    case = register(assigned_worker=worker)
    ngo = provider()
    kinds = {k: make_service(agency=ngo, service_type=k) for k in ("shelter", "psychosocial")}
    kinds["medical"] = make_service(agency=ngo, service_type="medical")
    rows = [  # service, status, sent, responded, finished
        ("shelter", "accepted", at(2025, 3, 1, 8), at(2025, 3, 1, 10), None),
        ("shelter", "completed", at(2025, 3, 2, 8), at(2025, 3, 2, 12), at(2025, 3, 4, 8)),
        ("psychosocial", "in_progress", at(2025, 3, 3, 8), at(2025, 3, 4, 8), None),
        ("psychosocial", "declined", at(2025, 3, 5, 8), at(2025, 3, 5, 9), None),
        ("medical", "completed", at(2025, 3, 6, 8), at(2025, 3, 6, 9), at(2025, 3, 6, 20)),
        ("medical", "sent", at(2025, 3, 7, 8), None, None),
        ("shelter", "completed", at(2024, 12, 1, 8), at(2024, 12, 1, 9), at(2024, 12, 2, 9)),
    ]
    for n, (kind, status, sent, responded, finished) in enumerate(rows):
        ref = Referral.objects.create(
            reference=f"R-S-{n}",
            case=case,
            service=kinds[kind],
            to_agency=ngo,
            urgency="routine",
            status=status,
            due_at=sent,
            referred_by=worker,
            responded_at=responded,
            finished_at=finished,
        )
        Referral.objects.filter(pk=ref.pk).update(sent_at=sent)


def test_acceptance_rate_per_service_type(referrals, analyst):
    result = run("SV1", analyst)
    assert (result.numerator, result.denominator, result.value) == (4, 5, Decimal(80))
    assert counts(result, "service_type") == {"shelter": 2, "psychosocial": 2, "medical": 2}
    assert values(result, "service_type") == {
        "shelter": Decimal(100),
        "psychosocial": Decimal(50),
        "medical": Decimal(100),
    }


def test_time_to_acceptance_by_service_type(referrals, analyst):
    result = run("SV3", analyst)
    # accepted: 2 h, 4 h, 24 h, 1 h = 31 h over 4; 7.75 rounds half up to 7.8
    assert (result.numerator, result.denominator, result.value) == (
        Decimal(31),
        4,
        Decimal("7.8"),
    )
    assert counts(result, "service_type") == {"shelter": 2, "psychosocial": 1, "medical": 1}
    assert values(result, "service_type") == {
        "shelter": Decimal(3),
        "psychosocial": Decimal(24),
        "medical": Decimal(1),
    }
    assert run("SV3", analyst, "21").value is None  # the child lives in Ulaanbaatar


def test_time_to_completion_by_service_type(referrals, analyst):
    result = run("SV4", analyst)
    # completed: 48 h (shelter) and 12 h (medical); the 2024 referral is out
    assert (result.numerator, result.denominator, result.value) == (Decimal(60), 2, Decimal(30))
    assert counts(result, "service_type") == {"shelter": 1, "medical": 1}
    assert values(result, "service_type") == {"shelter": Decimal(48), "medical": Decimal(12)}


def test_reviews_on_time(analyst):
    case = register(agency=team())
    Task.objects.filter(kind="follow_up").delete()
    for due, done in [
        (at(2025, 5, 1), at(2025, 4, 30)),  # on time
        (at(2025, 6, 1), at(2025, 6, 3)),  # late
        (at(2025, 7, 1), None),  # missed
        (at(2025, 12, 30), at(2025, 12, 30)),  # on time, at the due moment
        (at(2024, 7, 1), at(2024, 7, 1)),  # another period
    ]:
        Task.objects.create(case=case, kind="follow_up", due_at=due, done_at=done)
    Task.objects.create(case=case, kind="case_plan", due_at=at(2025, 5, 1))  # not a review
    result = run("CM9", analyst)
    assert (result.numerator, result.denominator, result.value) == (2, 4, Decimal(50))
    assert result.parts == [("on_time", 2), ("late_or_missed", 2)]
    assert run("CM9", analyst, "21").denominator == 0


def test_the_api_gives_the_times_per_service_type(referrals, analyst):
    client = Client()
    client.force_login(analyst)
    catalogue = {row["code"] for row in client.get("/api/v1/indicators/").json()}
    assert {"SV3", "SV4", "CM9", "HL3", "HL4", "FN2", "FN3", "WF1", "WF2"} <= catalogue
    answer = client.get("/api/v1/indicators/SV3/?start=2025-01-01&end=2025-12-31").json()
    assert (answer["value"], answer["numerator"], answer["denominator"]) == ("7.8", "31.0", "4")
    by_type = {row["key"]: row["value"] for row in answer["values_by"]["service_type"]}
    assert (by_type["shelter"], by_type["psychosocial"], by_type["legal_aid"]) == (
        "3.0",
        "24.0",
        None,
    )
