"""Who sees which case — one selector used by every page, API endpoint, export and report."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from cpims.cases.models import Approval, Case, Task


def cases_visible_to(user) -> QuerySet[Case]:
    """- everyone with `cases.view`: cases assigned to them, held by their team, created by
      their agency (the helpline sees what it created), or held by their team before a transfer;
    - with `cases.view_area` as well: every case living inside their location scope.
    Service providers see cases only through referrals; national analysts see none."""
    if not (user.is_authenticated and user.has_capability("cases.view")):
        return Case.objects.none()
    mine = Q(assigned_worker=user)
    if user.agency_id:
        mine |= Q(agency_id=user.agency_id) | Q(created_by_agency_id=user.agency_id)
        mine |= Q(team_history__agency_id=user.agency_id)
    if user.has_capability("cases.view_area") and user.scope_id:
        mine |= Q(location__path__startswith=user.scope.path)
    # A restricted case (e.g. a staff member's own child) is seen only by named users.
    mine &= Q(restricted=False) | Q(access_grants__user=user)
    ids = Case.objects.filter(mine).values("pk")
    return Case.objects.filter(pk__in=ids).select_related("location", "agency", "assigned_worker")


def cases_editable_by(user) -> QuerySet[Case]:
    """Previous teams and the agency that created the case keep read access only; editing needs
    the case to be with your team, assigned to you, or in your area as an officer."""
    if not (user.is_authenticated and user.has_capability("cases.edit")):
        return Case.objects.none()
    mine = Q(assigned_worker=user)
    if user.agency_id:
        mine |= Q(agency_id=user.agency_id)
    if user.has_capability("cases.view_area") and user.scope_id:
        mine |= Q(location__path__startswith=user.scope.path)
    mine &= Q(restricted=False) | Q(access_grants__user=user)
    return Case.objects.filter(pk__in=Case.objects.filter(mine).values("pk"))


def tasks_for_user(user) -> QuerySet[Task]:
    """Open tasks on open cases for this worker (or their team), most urgent first."""
    if not user.is_authenticated:
        return Task.objects.none()
    cases = cases_visible_to(user).filter(is_open=True).values("pk")
    mine = Q(assigned_to=user) | (
        Q(agency_id=user.agency_id, assigned_to__isnull=True) if user.agency_id else Q(pk__in=[])
    )
    return (
        Task.objects.filter(mine, done_at__isnull=True, case__in=cases)
        .select_related("case")
        .order_by("due_at")
    )


def overdue_tasks_visible_to(user) -> QuerySet[Task]:
    cases = cases_visible_to(user).filter(is_open=True).values("pk")
    return (
        Task.objects.filter(done_at__isnull=True, due_at__lt=timezone.now(), case__in=cases)
        .select_related("case", "assigned_to")
        .order_by("due_at")
    )


def approvals_waiting_for(user) -> QuerySet[Approval]:
    if not (user.is_authenticated and user.has_capability("cases.approve")):
        return Approval.objects.none()
    cases = cases_visible_to(user).values("pk")
    return (
        Approval.objects.filter(status="pending", case__in=cases)
        .exclude(requested_by=user)
        .select_related("case", "requested_by")
        .order_by("requested_at")
    )


def case_timeline(case: Case) -> list:
    """Every event on the case, oldest first: contacts, assessments, plans, approvals, notes…
    (each step writes an audit entry on the case; views are left out)."""
    from cpims.audit.models import AuditEvent
    from cpims.cases.timeline import label_for

    events = list(
        AuditEvent.objects.filter(object_type="cases.Case", object_id=str(case.pk))
        .exclude(action="cases.viewed")
        .order_by("seq")[:500]
    )
    for event in events:
        event.label = label_for(event.action)
    return events


def case_list(
    user,
    *,
    status: str = "",
    stage: str = "",
    risk: str = "",
    worker: str = "",
    place: str = "",
    overdue: bool = False,
    harm: str = "",
    q: str = "",
) -> QuerySet[Case]:
    cases = cases_visible_to(user)
    if status == "open":
        cases = cases.filter(is_open=True)
    elif status == "closed":
        cases = cases.filter(is_open=False)
    if stage:
        cases = cases.filter(stage=stage)
    if risk:
        cases = cases.filter(risk=risk)
    if worker == "me":
        cases = cases.filter(assigned_worker=user)
    elif worker.isdigit():
        cases = cases.filter(assigned_worker_id=int(worker))
    if place:
        from cpims.geo.models import Location

        location = Location.objects.filter(code=place).first()
        cases = cases.filter(location__path__startswith=location.path) if location else cases.none()
    if harm:
        cases = cases.filter(harms__harm=harm)
    if overdue:
        late = Task.objects.filter(done_at__isnull=True, due_at__lt=timezone.now()).values(
            "case_id"
        )
        cases = cases.filter(pk__in=late, is_open=True)
    if q:
        cases = cases.filter(
            Q(number__icontains=q) | Q(children__person__given_key__startswith=q.lower())
        )
    return cases.distinct().order_by("-opened_at", "-pk")
