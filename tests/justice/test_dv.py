from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.cases import workflow
from cpims.cases.models import Task
from cpims.jobs.worker import work_until_idle
from cpims.justice import dv
from cpims.notifications.models import Notification
from tests.cases.helpers import officer
from tests.justice.helpers import dv_case, shelter

pytestmark = pytest.mark.django_db


def _assess(case, worker, level, kind="police_danger"):
    return dv.dv_assessment_record(
        actor=worker, case=case, kind=kind, level=level, assessed_on=timezone.localdate()
    )


def test_a_medium_level_leaves_the_case_risk_alone(places):
    case, worker = dv_case()
    _assess(case, worker, "medium")
    case.refresh_from_db()
    assert case.risk == "unassessed"
    assert not AuditEvent.objects.filter(action="cases.risk_raised").exists()


def test_a_high_danger_level_raises_the_risk_and_moves_deadlines_to_the_high_risk_rule(places):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        case, worker = dv_case()
        old = {t.kind: t for t in Task.objects.filter(case=case, done_at__isnull=True)}
        # registered as unassessed: the medium rule (72 h) applies
        assert old["first_response"].due_at == start + timedelta(hours=72)
        clock.shift(timedelta(hours=2))
        _assess(case, worker, "high", kind="situation")
    case.refresh_from_db()
    assert case.risk == "high"
    open_tasks = {t.kind: t for t in Task.objects.filter(case=case, done_at__isnull=True)}
    for kind in ("first_response", "initial_assessment"):
        assert open_tasks[kind].due_at == start + timedelta(hours=2 + 24)
        assert open_tasks[kind].rule.startswith("default:high/")
        old[kind].refresh_from_db()
        assert old[kind].done_at is not None, "the medium-risk task is superseded"
    event = AuditEvent.objects.get(action="cases.risk_raised", object_id=str(case.pk))
    assert event.changes["previous"] == "unassessed"
    assert len(event.changes["rescheduled"]) == 2


def test_later_deadlines_follow_the_high_rule_after_assessment(places):
    case, worker = dv_case()
    workflow.initial_assessment_record(actor=worker, case=case, risk="low", reasons="calm")
    low = Task.objects.get(case=case, kind="comprehensive_assessment", done_at__isnull=True)
    now = timezone.now()
    _assess(case, worker, "high")
    new = Task.objects.get(case=case, kind="comprehensive_assessment", done_at__isnull=True)
    assert new.pk != low.pk
    assert new.due_at <= now + timedelta(hours=72, minutes=1), "3 days at high risk"
    assert low.due_at > new.due_at


def test_nothing_changes_on_a_case_already_at_high_risk(places):
    case, worker = dv_case(risk="high")
    tasks = set(Task.objects.filter(case=case, done_at__isnull=True).values_list("pk", flat=True))
    _assess(case, worker, "high")
    assert (
        set(Task.objects.filter(case=case, done_at__isnull=True).values_list("pk", flat=True))
        == tasks
    )
    assert not AuditEvent.objects.filter(action="cases.risk_raised").exists()


def _expiry_notes(user):
    return Notification.objects.filter(user=user, kind="protection_order_expiring")


def test_protection_order_reminder_comes_the_configured_days_before_it_lapses(places, settings):
    settings.CPIMS_PROTECTION_ORDER_REMINDER_DAYS = 7
    case, worker = dv_case()
    today = timezone.localdate()
    expires = today + timedelta(days=20)
    remind_at = timezone.make_aware(datetime.combine(expires - timedelta(days=7), time(9, 0)))
    order = dv.protection_order_record(
        actor=worker,
        case=case,
        kind="protection",
        issuing_body="court",
        issued_on=today,
        expires_on=expires,
        conditions="no contact",
    )
    with time_machine.travel(remind_at - timedelta(minutes=5), tick=False) as clock:
        work_until_idle(worker_id="t")
        assert not _expiry_notes(worker).exists()
        clock.move_to(remind_at + timedelta(minutes=1))
        work_until_idle(worker_id="t")
        assert _expiry_notes(worker).count() == 1
        work_until_idle(worker_id="t")
    assert _expiry_notes(worker).count() == 1
    order.refresh_from_db()
    assert order.reminded_at is not None
    assert AuditEvent.objects.filter(action="cases.protection_order_expiring").count() == 1


def test_an_extended_order_reminds_before_the_new_expiry_and_a_revoked_one_never(places, settings):
    settings.CPIMS_PROTECTION_ORDER_REMINDER_DAYS = 3
    case, worker = dv_case()
    today = timezone.localdate()
    extended = dv.protection_order_record(
        actor=worker,
        case=case,
        kind="restraining",
        issuing_body="police",
        issued_on=today,
        expires_on=today + timedelta(days=10),
    )
    revoked = dv.protection_order_record(
        actor=worker,
        case=case,
        kind="removal",
        issuing_body="police",
        issued_on=today,
        expires_on=today + timedelta(days=10),
    )
    dv.protection_order_change(actor=worker, order=extended, expires_on=today + timedelta(days=40))
    dv.protection_order_change(actor=worker, order=revoked, revoked_on=today + timedelta(days=1))
    with time_machine.travel(
        timezone.make_aware(datetime.combine(today + timedelta(days=8), time(12))), tick=False
    ) as clock:
        work_until_idle(worker_id="t")
        assert not _expiry_notes(worker).exists(), "old expiry and revoked order are silent"
        clock.move_to(timezone.make_aware(datetime.combine(today + timedelta(days=37), time(10))))
        work_until_idle(worker_id="t")
    assert _expiry_notes(worker).count() == 1


def test_a_violation_is_recorded_and_sent_to_the_worker_and_supervisors(places):
    case, worker = dv_case()
    boss = officer("11")
    order = dv.protection_order_record(
        actor=boss, case=case, kind="protection", issuing_body="court", issued_on=date(2026, 1, 5)
    )
    dv.order_violation_record(
        actor=boss, order=order, occurred_on=date(2026, 1, 9), description="came to the school"
    )
    assert Notification.objects.filter(user=worker, kind="protection_order_violated").exists()
    assert not Notification.objects.filter(user=boss, kind="protection_order_violated").exists()
    with pytest.raises(ValidationError):
        dv.order_violation_record(
            actor=boss, order=order, occurred_on=date(2026, 1, 9), description=" "
        )


def test_a_shelter_stay_is_costed_in_nights_and_a_one_stop_stay_in_days(places):
    case, worker = dv_case()
    child = case.children.get().person
    stay = dv.stay_admit(
        actor=worker,
        case=case,
        child=child,
        service=shelter(),
        admitted_on=date(2026, 2, 1),
        reason="dv_danger",
    )
    with pytest.raises(ValidationError) as already:
        dv.stay_admit(
            actor=worker,
            case=case,
            child=child,
            service=shelter("one_stop"),
            admitted_on=date(2026, 2, 2),
            reason="dv_danger",
        )
    assert "child" in already.value.message_dict, "the child is already staying somewhere"
    stay = dv.stay_discharge(actor=worker, stay=stay, discharged_on=date(2026, 2, 6))
    assert stay.delivery.units == Decimal(5) and stay.delivery.unit == "night"
    assert stay.delivery.service_type == "shelter" and stay.delivery.case == case
    one_stop = dv.stay_admit(
        actor=worker,
        case=case,
        child=child,
        service=shelter("one_stop"),
        admitted_on=date(2026, 3, 1),
        reason="examination",
    )
    one_stop = dv.stay_discharge(actor=worker, stay=one_stop, discharged_on=date(2026, 3, 2))
    assert one_stop.delivery.units == Decimal(2) and one_stop.delivery.unit == "day"
    with pytest.raises(ValidationError):
        dv.stay_discharge(actor=worker, stay=one_stop, discharged_on=date(2026, 3, 3))
    with pytest.raises(ValidationError) as wrong_type:
        dv.stay_admit(
            actor=worker,
            case=case,
            child=child,
            service=shelter("psychosocial"),
            admitted_on=date(2026, 4, 1),
            reason="other",
        )
    assert "service" in wrong_type.value.message_dict


def test_stay_units():
    assert (
        dv.stay_units(unit="night", admitted_on=date(2026, 1, 1), discharged_on=date(2026, 1, 1))
        == 1
    )
    assert (
        dv.stay_units(unit="night", admitted_on=date(2026, 1, 1), discharged_on=date(2026, 1, 4))
        == 3
    )
    assert (
        dv.stay_units(unit="day", admitted_on=date(2026, 1, 1), discharged_on=date(2026, 1, 4)) == 4
    )
