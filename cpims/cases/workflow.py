"""The case workflow after registration: assessments, plan and approval, follow-up, closure,
reopening and transfer. Each step checks that it is allowed now and says why not."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.accounts.models import Agency
from cpims.cases.choices import ApprovalKind, ApprovalStatus, ClosureReason, Risk, Stage, TaskKind
from cpims.cases.deadlines import task_schedule, tasks_complete
from cpims.cases.errors import TransitionError
from cpims.cases.models import (
    Approval,
    Assessment,
    Case,
    CasePlan,
    FollowUp,
    PlanAction,
    TeamHistory,
)
from cpims.cases.services import case_event, require_open
from cpims.cases.teams import default_worker_for, supervisors_for
from cpims.geo.models import Location
from cpims.notifications.services import notify

SECTIONS = ["safety", "health", "education", "family", "psychosocial", "legal"]


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _bump(case: Case, **fields) -> None:
    for name, value in fields.items():
        setattr(case, name, value)
    case.version += 1
    case.save()


def _gate() -> bool:
    return getattr(settings, "CPIMS_APPROVALS_GATE", True)


@transaction.atomic
def initial_assessment_record(*, actor, case: Case, risk: str, reasons: str) -> Assessment:
    case = _locked(case)
    require_open(case)
    if case.stage not in (Stage.REGISTRATION, Stage.INITIAL_ASSESSMENT):
        raise TransitionError(_("The initial assessment belongs before the comprehensive one."))
    if risk not in (Risk.HIGH, Risk.MEDIUM, Risk.LOW):
        raise ValidationError({"risk": _("Choose high, medium or low.")})
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the risk level.")})
    assessment = Assessment.objects.create(
        case=case,
        kind=Assessment.Kind.INITIAL,
        risk=risk,
        reasons=reasons,
        completed_at=timezone.now(),
        completed_by=actor,
    )
    first_time = case.stage == Stage.REGISTRATION
    _bump(case, risk=risk, stage=Stage.INITIAL_ASSESSMENT)
    tasks_complete(case=case, kinds=[TaskKind.FIRST_RESPONSE, TaskKind.INITIAL_ASSESSMENT])
    if first_time:
        task_schedule(case=case, kind=TaskKind.COMPREHENSIVE_ASSESSMENT)
        task_schedule(case=case, kind=TaskKind.CASE_PLAN)
    case_event(case, actor=actor, action="initial_assessment", risk=risk)
    return assessment


@transaction.atomic
def comprehensive_assessment_record(*, actor, case: Case, sections: dict[str, str]) -> Assessment:
    case = _locked(case)
    require_open(case)
    if case.stage != Stage.INITIAL_ASSESSMENT:
        raise TransitionError(_("Record the initial assessment first."))
    if not any((sections.get(s) or "").strip() for s in SECTIONS):
        raise ValidationError(_("Fill at least one section of the assessment."))
    assessment = Assessment.objects.create(
        case=case,
        kind=Assessment.Kind.COMPREHENSIVE,
        completed_at=timezone.now(),
        completed_by=actor,
        **{s: sections.get(s, "") for s in SECTIONS},
    )
    _bump(case, stage=Stage.COMPREHENSIVE_ASSESSMENT)
    tasks_complete(case=case, kinds=[TaskKind.COMPREHENSIVE_ASSESSMENT])
    case_event(case, actor=actor, action="comprehensive_assessment")
    return assessment


@dataclass
class ActionInput:
    description: str
    responsible: str
    due_date: date


def _request_approval(case: Case, *, actor, kind: str, payload: dict) -> Approval:
    if case.approvals.filter(kind=kind, status=ApprovalStatus.PENDING).exists():
        raise TransitionError(_("A request of this kind is already waiting for approval."))
    approval = Approval.objects.create(case=case, kind=kind, payload=payload, requested_by=actor)
    task_schedule(case=case, kind=TaskKind.APPROVAL, title=ApprovalKind(kind).label)
    notify(
        users=supervisors_for(case.location),
        kind="approval_requested",
        message=_("%(case)s: %(kind)s waits for your approval")
        % {"case": case.number, "kind": ApprovalKind(kind).label},
        link=f"/cases/{case.pk}/",
        obj=case,
    )
    return approval


@transaction.atomic
def plan_submit(*, actor, case: Case, goals: str, actions: list[ActionInput]) -> CasePlan:
    case = _locked(case)
    require_open(case)
    if case.stage in (Stage.REGISTRATION, Stage.INITIAL_ASSESSMENT):
        raise TransitionError(_("Complete the comprehensive assessment before the case plan."))
    if not goals.strip() or not actions:
        raise ValidationError(_("A case plan needs goals and at least one action."))
    plan = CasePlan.objects.create(case=case, goals=goals, status=CasePlan.Status.SUBMITTED)
    for action in actions:
        PlanAction.objects.create(
            plan=plan,
            description=action.description[:300],
            responsible=action.responsible[:200],
            due_date=action.due_date,
        )
    case_event(case, actor=actor, action="plan_submitted", plan=plan.pk, actions=len(actions))
    if _gate():
        _request_approval(case, actor=actor, kind=ApprovalKind.PLAN, payload={"plan": plan.pk})
        if case.stage == Stage.COMPREHENSIVE_ASSESSMENT:
            _bump(case, stage=Stage.CASE_PLAN)
    else:
        _plan_approve(case, plan, actor=actor)
    return plan


def _plan_approve(case: Case, plan: CasePlan, *, actor) -> None:
    case.plans.filter(status=CasePlan.Status.APPROVED).exclude(pk=plan.pk).update(
        status=CasePlan.Status.RETURNED
    )
    plan.status, plan.approved_at = CasePlan.Status.APPROVED, timezone.now()
    plan.save(update_fields=["status", "approved_at"])
    tasks_complete(case=case, kinds=[TaskKind.CASE_PLAN])
    for action in plan.actions.all():
        due = timezone.make_aware(datetime.combine(action.due_date, time(17, 0)))
        task_schedule(case=case, kind=TaskKind.PLAN_ACTION, title=action.description, due_at=due)
    if case.stage in (Stage.COMPREHENSIVE_ASSESSMENT, Stage.CASE_PLAN):
        _bump(case, stage=Stage.IMPLEMENTATION)
        task_schedule(case=case, kind=TaskKind.FOLLOW_UP)
    case_event(case, actor=actor, action="plan_approved", plan=plan.pk)


@transaction.atomic
def closure_request(*, actor, case: Case, reason: str, notes: str = "") -> Approval | None:
    case = _locked(case)
    require_open(case)
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": _("Choose a closure reason.")})
    case_event(case, actor=actor, action="closure_requested", reason=reason)
    if _gate():
        return _request_approval(
            case,
            actor=actor,
            kind=ApprovalKind.CLOSURE,
            payload={"reason": reason, "notes": notes[:1000]},
        )
    _close(case, reason=reason, actor=actor)
    return None


def _close(case: Case, *, reason: str, actor) -> None:
    _bump(case, is_open=False, stage=Stage.CLOSED, closure_reason=reason, closed_at=timezone.now())
    case.tasks.filter(done_at__isnull=True).update(done_at=timezone.now())
    case_event(case, actor=actor, action="closed", reason=reason)


@transaction.atomic
def case_reopen(*, actor, case: Case, reason: str) -> Case:
    case = _locked(case)
    if case.is_open:
        raise TransitionError(_("The case is open already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    _bump(case, is_open=True, stage=Stage.REGISTRATION, closure_reason="", closed_at=None)
    task_schedule(case=case, kind=TaskKind.FIRST_RESPONSE)
    task_schedule(case=case, kind=TaskKind.INITIAL_ASSESSMENT)
    case_event(case, actor=actor, action="reopened", reason=reason[:500])
    return case


@transaction.atomic
def follow_up_record(
    *, actor, case: Case, kind: str, happened_on: date, risk: str, notes: str = ""
) -> FollowUp:
    case = _locked(case)
    require_open(case)
    if case.stage not in (Stage.IMPLEMENTATION, Stage.FOLLOW_UP):
        raise TransitionError(_("Follow-up starts once the case plan is approved."))
    if risk not in (Risk.HIGH, Risk.MEDIUM, Risk.LOW):
        raise ValidationError({"risk": _("Choose high, medium or low.")})
    follow_up = FollowUp.objects.create(
        case=case, kind=kind, happened_on=happened_on, risk=risk, notes=notes, recorded_by=actor
    )
    _bump(case, stage=Stage.FOLLOW_UP, risk=risk)
    tasks_complete(case=case, kinds=[TaskKind.FOLLOW_UP])
    task_schedule(case=case, kind=TaskKind.FOLLOW_UP)
    case_event(case, actor=actor, action="follow_up", kind=kind, risk=risk)
    return follow_up


@transaction.atomic
def transfer_request(
    *, actor, case: Case, to_agency: Agency, to_location: Location, reason: str
) -> Approval | None:
    case = _locked(case)
    require_open(case)
    if to_agency.pk == case.agency_id:
        raise TransitionError(_("The case is already with this team."))
    payload = {"agency": to_agency.pk, "location": to_location.pk, "reason": reason[:500]}
    case_event(case, actor=actor, action="transfer_requested", **payload)
    if _gate():
        return _request_approval(case, actor=actor, kind=ApprovalKind.TRANSFER, payload=payload)
    _transfer(case, payload, actor=actor)
    return None


def _transfer(case: Case, payload: dict, *, actor) -> None:
    agency = Agency.objects.get(pk=payload["agency"])
    TeamHistory.objects.create(case=case, agency=case.agency, until=timezone.now())
    worker = default_worker_for(agency)
    _bump(
        case,
        agency=agency,
        location=Location.objects.get(pk=payload["location"]),
        assigned_worker=worker,
    )
    case.tasks.filter(done_at__isnull=True).update(assigned_to=worker, agency=agency)
    notify(
        users=[worker] if worker else [],
        kind="case_transferred",
        message=_("%(case)s was transferred to your team") % {"case": case.number},
        link=f"/cases/{case.pk}/",
        obj=case,
    )
    case_event(case, actor=actor, action="transferred", agency=agency.pk)


@transaction.atomic
def approval_decide(*, actor, approval: Approval, approve: bool, comment: str = "") -> Approval:
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    case = _locked(approval.case)
    if approval.status != ApprovalStatus.PENDING:
        raise TransitionError(_("This request was already decided."))
    if not actor.has_capability("cases.approve"):
        raise TransitionError(_("Only a supervisor can decide."))
    if approval.requested_by_id == actor.pk:
        raise TransitionError(_("You cannot approve your own request."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the request is returned.")})
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.RETURNED
    approval.decided_by, approval.decided_at, approval.comment = actor, timezone.now(), comment
    approval.save()
    tasks_complete(case=case, kinds=[TaskKind.APPROVAL])
    case_event(
        case,
        actor=actor,
        action="approval_decided",
        kind=approval.kind,
        approved=approve,
        comment=comment[:500],
    )
    if approval.kind == ApprovalKind.PLAN:
        plan = CasePlan.objects.get(pk=approval.payload["plan"])
        if approve:
            _plan_approve(case, plan, actor=actor)
        else:
            plan.status = CasePlan.Status.RETURNED
            plan.save(update_fields=["status"])
    elif approve and approval.kind == ApprovalKind.CLOSURE:
        _close(case, reason=approval.payload["reason"], actor=actor)
    elif approve and approval.kind == ApprovalKind.TRANSFER:
        _transfer(case, approval.payload, actor=actor)
    if not approve and approval.requested_by:
        notify(
            users=[approval.requested_by],
            kind="approval_returned",
            message=_("%(case)s: returned — %(comment)s")
            % {"case": case.number, "comment": comment},
            link=f"/cases/{case.pk}/",
            obj=case,
        )
    return approval
