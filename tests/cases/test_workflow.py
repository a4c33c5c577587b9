from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.cases import workflow as wf
from cpims.cases.choices import Stage, TaskKind
from cpims.cases.errors import TransitionError
from cpims.cases.models import Task
from cpims.notifications.models import Notification
from tests.cases.helpers import officer, register, team, worker_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(places):
    mdt = team()
    return {"team": mdt, "worker": worker_of(mdt), "officer": officer("11")}


def plan(case, actor):
    return wf.plan_submit(
        actor=actor,
        case=case,
        goals="Safe at home",
        actions=[wf.ActionInput("Weekly visit", "SW", date.today() + timedelta(days=7))],
    )


def test_registration_numbers_assigns_the_team_and_schedules_first_deadlines(setting):
    case = register(setting["worker"], risk="high")
    assert case.number.startswith(f"11-{timezone.localdate().year}-")
    assert case.agency == setting["team"] and case.assigned_worker == setting["worker"]
    kinds = dict(Task.objects.filter(case=case).values_list("kind", "due_at"))
    assert kinds[TaskKind.FIRST_RESPONSE] - case.reported_at == timedelta(hours=24)
    assert AuditEvent.objects.filter(
        object_type="cases.Case", object_id=str(case.pk), action="cases.registered"
    ).exists()


def test_full_workflow_with_approvals_as_gate(setting):
    sw, boss = setting["worker"], setting["officer"]
    case = register(sw)
    wf.initial_assessment_record(actor=sw, case=case, risk="high", reasons="bruises, threats")
    case.refresh_from_db()
    assert (case.stage, case.risk) == (Stage.INITIAL_ASSESSMENT, "high")
    plan_task = Task.objects.get(case=case, kind=TaskKind.CASE_PLAN)
    assert plan_task.due_at - plan_task.case.assessments.get().completed_at < timedelta(
        hours=72, seconds=5
    )
    with pytest.raises(TransitionError, match="comprehensive assessment"):
        plan(case, sw)
    wf.comprehensive_assessment_record(
        actor=sw, case=case, sections={"safety": "ok", "health": "x"}
    )
    submitted = plan(case, sw)
    approval = case.approvals.get(kind="plan")
    with pytest.raises(TransitionError, match="Only a supervisor"):
        wf.approval_decide(actor=sw, approval=approval, approve=True)
    assert Notification.objects.filter(user=boss, kind="approval_requested").exists()
    with pytest.raises(ValidationError):
        wf.approval_decide(actor=boss, approval=approval, approve=False)
    wf.approval_decide(actor=boss, approval=approval, approve=True)
    submitted.refresh_from_db()
    case.refresh_from_db()
    assert submitted.status == "approved" and case.stage == Stage.IMPLEMENTATION
    assert Task.objects.filter(case=case, kind=TaskKind.PLAN_ACTION).exists()
    with pytest.raises(TransitionError, match="already decided"):
        wf.approval_decide(actor=boss, approval=approval, approve=True)
    wf.follow_up_record(actor=sw, case=case, kind="visit", happened_on=date.today(), risk="medium")
    case.refresh_from_db()
    assert case.risk == "medium" and case.stage == Stage.FOLLOW_UP
    next_visit = Task.objects.filter(case=case, kind=TaskKind.FOLLOW_UP, done_at__isnull=True).get()
    assert timedelta(days=13) < next_visit.due_at - timezone.now() <= timedelta(days=14)
    wf.closure_request(actor=sw, case=case, reason="goals_met")
    case.refresh_from_db()
    assert case.is_open, "closure waits for approval"
    wf.approval_decide(actor=boss, approval=case.approvals.get(kind="closure"), approve=True)
    case.refresh_from_db()
    assert not case.is_open and case.stage == Stage.CLOSED
    assert not Task.objects.filter(case=case, done_at__isnull=True).exists()
    with pytest.raises(TransitionError, match="closed"):
        wf.follow_up_record(actor=sw, case=case, kind="visit", happened_on=date.today(), risk="low")
    wf.case_reopen(actor=sw, case=case, reason="new report")
    case.refresh_from_db()
    assert case.is_open and case.stage == Stage.REGISTRATION
    with pytest.raises(TransitionError, match="open already"):
        wf.case_reopen(actor=sw, case=case, reason="again")


@pytest.mark.parametrize("step", ["comprehensive", "follow_up"])
def test_steps_out_of_order_are_refused_with_a_reason(setting, step):
    case = register(setting["worker"])
    with pytest.raises(TransitionError):
        if step == "comprehensive":
            wf.comprehensive_assessment_record(
                actor=setting["worker"], case=case, sections={"safety": "x"}
            )
        else:
            wf.follow_up_record(
                actor=setting["worker"],
                case=case,
                kind="visit",
                happened_on=date.today(),
                risk="low",
            )


@pytest.mark.parametrize(
    ("risk", "plan_hours", "follow_days"), [("high", 72, 7), ("medium", 168, 14), ("low", 336, 30)]
)
def test_deadlines_follow_the_risk_level(setting, risk, plan_hours, follow_days):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False):
        case = register(setting["worker"])
        wf.initial_assessment_record(actor=setting["worker"], case=case, risk=risk, reasons="r")
    due = Task.objects.get(case=case, kind=TaskKind.CASE_PLAN).due_at
    assert due - start == timedelta(hours=plan_hours)


def test_changing_a_rule_does_not_rewrite_existing_deadlines(setting):
    from cpims.cases.models import DeadlineRule

    case = register(setting["worker"], risk="high")
    before = Task.objects.get(case=case, kind=TaskKind.FIRST_RESPONSE).due_at
    DeadlineRule.objects.create(risk="high", step=TaskKind.FIRST_RESPONSE, hours=2)
    assert Task.objects.get(case=case, kind=TaskKind.FIRST_RESPONSE).due_at == before
    second = register(setting["worker"], risk="high")
    task = Task.objects.get(case=second, kind=TaskKind.FIRST_RESPONSE)
    assert task.due_at - second.reported_at == timedelta(hours=2) and task.rule.startswith("rule#")


def test_overdue_high_risk_step_notifies_the_supervisor_once(setting):
    from cpims.cases.tasks import cases_escalate_overdue

    case = register(setting["worker"], risk="high")
    assert cases_escalate_overdue() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert cases_escalate_overdue() == 2  # first response and initial assessment
        assert cases_escalate_overdue() == 0
    notes = Notification.objects.filter(user=setting["officer"], kind="task_overdue")
    assert notes.count() == 2 and case.number in notes.first().message
    assert (
        AuditEvent.objects.filter(action="cases.overdue_escalated", object_id=str(case.pk)).count()
        == 2
    )


def test_transfer_hands_over_and_the_old_team_keeps_read_access(setting):
    from cpims.cases.selectors import cases_editable_by, cases_visible_to
    from tests.factories import location

    sw, boss = setting["worker"], setting["officer"]
    case = register(sw)
    dornod = team("mdt-kherlen", "2101")
    dornod_worker = worker_of(dornod)
    wf.transfer_request(
        actor=sw, case=case, to_agency=dornod, to_location=location("2101"), reason="moved"
    )
    wf.approval_decide(actor=boss, approval=case.approvals.get(kind="transfer"), approve=True)
    case.refresh_from_db()
    assert case.agency == dornod and case.assigned_worker == dornod_worker
    assert case.location.code == "2101"
    assert cases_visible_to(sw).filter(pk=case.pk).exists()
    assert not cases_editable_by(sw).filter(pk=case.pk).exists()
    assert cases_editable_by(dornod_worker).filter(pk=case.pk).exists()
