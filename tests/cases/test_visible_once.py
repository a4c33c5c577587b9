"""A page that has the reader's visible cases already passes them (`visible=`) to the selectors
built on them: same rows as looking visibility up again, without the lookups. And the case
list's filter conditions, which the dashboards count with, select what they say."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cpims.cases.models import AccessGrant, Approval, Case, CasePlan, Task, TeamHistory
from cpims.cases.selectors import (
    approvals_waiting_for,
    awaiting_referral,
    case_list,
    case_visibility,
    cases_visible_to,
    overdue_tasks_visible_to,
    tasks_for_user,
    with_overdue_steps,
    without_approved_plan,
)
from cpims.referrals.models import Referral
from cpims.referrals.selectors import referrals_visible_to
from tests.cases.helpers import register, team, worker_of
from tests.factories import make_user
from tests.referrals.helpers import make_service, provider

pytestmark = pytest.mark.django_db


def pks(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def world(places):
    """An officer of the capital with a team of their own: cases in the capital, one restricted
    (granted to them), one restricted (not granted), one elsewhere their team held before, one
    elsewhere they never held."""
    mine = team("mdt-bayangol-1", "110751")
    other = team("mdt-dornod", "21")
    officer = make_user(role="cp_officer", scope="11", agency=mine)
    worker = worker_of(mine)
    now = timezone.now()
    ub = register(place="110751", risk="high", assigned_worker=worker)
    granted = register(place="110751", risk="high", assigned_worker=worker)
    hidden = register(place="110751", risk="high", assigned_worker=worker)
    Case.objects.filter(pk__in=[granted.pk, hidden.pk]).update(restricted=True)
    AccessGrant.objects.create(case=granted, user=officer)
    held = register(place="21", risk="high", agency=other, assigned_worker=worker_of(other))
    TeamHistory.objects.create(case=held, agency=mine, until=now)
    elsewhere = register(place="21", risk="low", agency=other, assigned_worker=worker_of(other))
    Task.objects.all().delete()
    for case in [ub, granted, hidden, held, elsewhere]:
        Task.objects.create(case=case, kind="follow_up", due_at=now - timedelta(hours=1))
        Task.objects.create(
            case=case, kind="follow_up", due_at=now + timedelta(days=2), assigned_to=officer
        )
        Approval.objects.create(case=case, kind="plan", requested_by=worker)
    service = make_service(agency=provider(), service_type="shelter")
    for n, case in enumerate([ub, hidden, held, elsewhere]):
        Referral.objects.create(
            reference=f"R-V-{n}",
            case=case,
            service=service,
            to_agency=service.provider,
            urgency="routine",
            status="sent",
            due_at=now,
            referred_by=worker,
        )
    cases = {"ub": ub, "granted": granted, "hidden": hidden, "held": held, "else": elsewhere}
    return {"officer": officer, "cases": cases}


def test_passing_the_visible_cases_gives_the_same_rows(world):
    officer = world["officer"]
    visible = cases_visible_to(officer)
    c = world["cases"]
    assert pks(visible) == {c["ub"].pk, c["granted"].pk, c["held"].pk}
    for filters in [
        {},
        {"status": "open"},
        {"place": "11"},
        {"place": "21"},
        {"overdue": True},
        {"referral": "awaiting"},
        {"plan": "none", "risk": "high"},
    ]:
        assert pks(case_list(officer, visible=visible, **filters)) == pks(
            case_list(officer, **filters)
        ), filters
    for selector in [tasks_for_user, overdue_tasks_visible_to, approvals_waiting_for]:
        alone = pks(selector(officer))
        assert alone, selector.__name__
        assert pks(selector(officer, visible=visible)) == alone, selector.__name__
    referrals = pks(referrals_visible_to(officer))
    assert referrals == set(
        Referral.objects.filter(case__in=[c["ub"], c["held"]]).values_list("pk", flat=True)
    )
    assert pks(referrals_visible_to(officer, visible=visible)) == referrals


def test_with_the_visible_cases_each_selector_is_one_query(world, django_assert_num_queries):
    officer = world["officer"]
    officer.has_capability("cases.view")  # the role's capabilities, read once per user
    with django_assert_num_queries(3):  # places of the scope, grants, the team's history
        visible = cases_visible_to(officer)
    for selector in [tasks_for_user, overdue_tasks_visible_to, approvals_waiting_for]:
        with django_assert_num_queries(1):
            selector(officer, visible=visible).count()
    with django_assert_num_queries(1):
        referrals_visible_to(officer, visible=visible).count()
    with django_assert_num_queries(1):
        case_list(officer, visible=visible, status="open", overdue=True).count()


def test_the_place_filter_is_the_place_and_everything_inside_it(world):
    officer = world["officer"]
    c = world["cases"]
    assert pks(case_list(officer, place="11")) == {c["ub"].pk, c["granted"].pk}
    assert pks(case_list(officer, place="1107")) == {c["ub"].pk, c["granted"].pk}
    assert pks(case_list(officer, place="21")) == {c["held"].pk}
    assert pks(case_list(officer, place="nowhere")) == set()


def test_the_list_conditions_select_what_they_say(world):
    c = world["cases"]
    now = timezone.now()
    every = Case.objects.all()
    # overdue: an open step past its due date on an open case
    Task.objects.filter(case=c["ub"], due_at__lt=now).update(done_at=now)
    Case.objects.filter(pk=c["held"].pk).update(is_open=False)
    assert pks(every.filter(with_overdue_steps())) == {
        c["granted"].pk,
        c["hidden"].pk,
        c["else"].pk,
    }
    # no approved plan: a draft plan does not count, an approved one does
    CasePlan.objects.create(case=c["ub"], goals="g", status="approved", approved_at=now)
    CasePlan.objects.create(case=c["granted"], goals="g", status="draft")
    assert c["ub"].pk not in pks(every.filter(without_approved_plan()))
    assert c["granted"].pk in pks(every.filter(without_approved_plan()))
    # waiting on a referral: sent or received, not answered
    Referral.objects.filter(case=c["hidden"]).update(status="received")
    Referral.objects.filter(case=c["held"]).update(status="accepted")
    assert pks(every.filter(awaiting_referral())) == {c["ub"].pk, c["hidden"].pk, c["else"].pk}


def test_the_visibility_through_a_relation_selects_the_same_records(world):
    """`through("case")` is the visibility condition as a join from a record on its case: the
    same steps and referrals as `case__in=cases_visible_to(user)`."""
    officer = world["officer"]
    visibility = case_visibility(officer)
    visible = cases_visible_to(officer)
    assert pks(visibility.cases()) == pks(visible)
    steps = pks(Task.objects.filter(visibility.through("case")))
    assert steps == pks(Task.objects.filter(case__in=visible.values("pk")))
    assert steps and len(steps) < Task.objects.count()
    referrals = pks(Referral.objects.filter(visibility.through("case")))
    assert referrals == pks(referrals_visible_to(officer))
    analyst = make_user(role="national_analyst", scope="MN")
    nothing = case_visibility(analyst)
    assert not Task.objects.filter(nothing.through("case")).exists()
    assert not nothing.cases().exists()
