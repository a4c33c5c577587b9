"""A small hand-built dataset with known answers for every indicator (period: 2025)."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from cpims.cases.models import Case, CasePlan, Task
from cpims.finance.models import BudgetLine, ChildPopulation
from cpims.referrals.models import Activity, Delivery, Referral
from cpims.reports.indicators import Period
from tests.cases.helpers import register, team, worker_of
from tests.factories import location
from tests.helpline.helpers import raw_contact
from tests.referrals.helpers import make_service, provider
from tests.registry.helpers import make_person

PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))
CHILD_NAME = "Ганзоригмаа"


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def build() -> dict:
    ub = team("mdt-bayangol-1", "110751")
    w1 = worker_of(ub)
    w2 = worker_of(ub)
    dornod = team("mdt-dornod", "21")
    worker_of(dornod)
    girl = make_person(
        given_name=CHILD_NAME, sex="F", date_of_birth=date(2019, 6, 1), place="110751"
    )
    boy = make_person(given_name="Болд", sex="M", date_of_birth=date(2010, 2, 2), place="21")
    other = make_person(given_name="Сараа", sex="F", date_of_birth=date(2012, 1, 1))
    c1 = register(child=girl, risk="high", origin="police", harms=["icvac2"], assigned_worker=w1)
    c2 = register(child=girl, origin="helpline", harms=["icvac4"], assigned_worker=w1)
    c3 = register(
        child=boy, place="21", origin="school", harms=["child_labour"], risk="low", agency=dornod
    )
    c4 = register(child=other, origin="walk_in", harms=["icvac5"], assigned_worker=w2)
    Case.objects.filter(pk=c1.pk).update(opened_at=at(2025, 3, 1))
    Case.objects.filter(pk=c2.pk).update(opened_at=at(2025, 6, 1))
    Case.objects.filter(pk=c3.pk).update(
        opened_at=at(2025, 4, 1),
        closed_at=at(2025, 5, 1),
        is_open=False,
        stage="closed",
        closure_reason="goals_met",
    )
    Case.objects.filter(pk=c4.pk).update(opened_at=at(2024, 1, 1))
    Task.objects.all().delete()
    for case, due, done in [
        (c1, at(2025, 3, 2), at(2025, 3, 1)),
        (c2, at(2025, 6, 2), at(2025, 6, 5)),
        (c3, at(2025, 4, 2), None),
        (c4, at(2024, 1, 2), at(2024, 1, 2)),
    ]:
        Task.objects.create(case=case, kind="first_response", due_at=due, done_at=done)
        Task.objects.create(case=case, kind="initial_assessment", due_at=due, done_at=due)
    CasePlan.objects.create(
        case=c1, goals="g", status=CasePlan.Status.APPROVED, approved_at=at(2025, 7, 1)
    )
    CasePlan.objects.create(case=c2, goals="g", status=CasePlan.Status.SUBMITTED)
    ngo = provider()
    shelter = make_service(agency=ngo, service_type="shelter")
    psy = make_service(agency=ngo, service_type="psychosocial")
    for n, (service, status) in enumerate(
        [(shelter, "accepted"), (shelter, "declined"), (psy, "sent")]
    ):
        ref = Referral.objects.create(
            reference=f"R-T-{n}",
            case=c1,
            service=service,
            to_agency=ngo,
            urgency="routine",
            status=status,
            due_at=at(2025, 3, 10),
            referred_by=w1,
        )
        Referral.objects.filter(pk=ref.pk).update(sent_at=at(2025, 3, 3))
    for day in (5, 6):
        Delivery.objects.create(
            case=c1,
            service=shelter,
            provider=ngo,
            service_type="shelter",
            level="emergency",
            location=location("110751"),
            delivered_on=date(2025, 3, day),
            units=Decimal(1),
            unit="night",
            recorded_by=w1,
        )
    Activity.objects.create(
        held_on=date(2025, 9, 1),
        location=location("1107"),
        organiser=ub,
        topic=Activity._meta.get_field("topic").choices[0][0],
        title="t",
        girls_6_11=10,
        boys_6_11=12,
        women=3,
        recorded_by=w1,
    )
    raw_contact(started_at=at(2025, 5, 1), call_type="silent")
    raw_contact(started_at=at(2025, 5, 2), call_type="silent", channel="sms")
    raw_contact(started_at=at(2025, 5, 3), call_type="data")
    raw_contact(started_at=at(2024, 5, 3), call_type="data")
    ChildPopulation.objects.create(location=location("MN"), year=2025, children=200_000)
    ChildPopulation.objects.create(location=location("11"), year=2024, children=100_000)
    BudgetLine.objects.create(
        year=2025,
        source="central",
        programme="protection",
        location=location("MN"),
        approved=Decimal(1000),
        released=Decimal(500),
        spent=Decimal(250),
    )
    return {"cases": [c1, c2, c3, c4], "girl": girl}
