"""Who sees which case — one selector used by every page, API endpoint, export and report."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from cpims.cases.models import (
    AccessGrant,
    Approval,
    Case,
    CaseChild,
    CaseHarm,
    CasePlan,
    Task,
    TeamHistory,
)
from cpims.core.numbers import is_number_text
from cpims.geo.models import Location


def _area(user) -> Q | None:
    """Cases living in the user's scope, as a filter on the case's own column (no joins, so the
    database can use the case indexes); None means the whole country."""
    if user.scope.parent_id is None:
        return None
    places = list(
        Location.objects.filter(path__startswith=user.scope.path).values_list("pk", flat=True)
    )
    return Q(location_id__in=places)


def _restriction(user) -> Q:
    # A restricted case (e.g. a staff member's own child) is seen only by named users.
    granted = list(AccessGrant.objects.filter(user=user).values_list("case_id", flat=True))
    return Q(restricted=False) | Q(pk__in=granted) if granted else Q(restricted=False)


def _mine(user, *, with_history: bool) -> Q | None:
    """Conditions on the case's own columns only; `None` when every case qualifies."""
    mine = Q(assigned_worker_id=user.pk)
    if user.agency_id:
        mine |= Q(agency_id=user.agency_id)
        if with_history:
            mine |= Q(created_by_agency_id=user.agency_id)
            earlier = list(
                TeamHistory.objects.filter(agency_id=user.agency_id).values_list(
                    "case_id", flat=True
                )
            )
            if earlier:
                mine |= Q(pk__in=earlier)
    if user.has_capability("cases.view_area") and user.scope_id:
        area = _area(user)
        if area is None:
            return None
        mine |= area
    return mine


def _through(condition: Q, relation: str) -> Q:
    """`condition` on a case, written from a model that points to the case by `relation`."""
    children = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(_through(child, relation))
        elif isinstance(child, tuple):
            children.append((f"{relation}__{child[0]}", child[1]))
        else:  # an expression: not used by the visibility rules
            raise TypeError(f"cannot move {child!r} through {relation}")
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


@dataclass(frozen=True)
class CaseVisibility:
    """Which cases a reader sees, with the lookups it needs (their area's places, their
    grants, their team's history) done once: `cases()` is `cases_visible_to(user)`;
    `through("case")` is the same condition seen from a record that points to its case (a
    join on the case, where `case__in=cases()` would be a subquery)."""

    condition: Q | None  # None: no case at all

    def cases(self) -> QuerySet[Case]:
        if self.condition is None:
            return Case.objects.none()
        cases = Case.objects.filter(self.condition)
        return cases.select_related("location", "agency", "assigned_worker")

    def through(self, relation: str) -> Q:
        if self.condition is None:
            return Q(pk__in=[])  # matches nothing
        return _through(self.condition, relation)


def case_visibility(user) -> CaseVisibility:
    """- everyone with `cases.view`: cases assigned to them, held by their team, created by
      their agency (the helpline sees what it created), or held by their team before a transfer;
    - with `cases.view_area` as well: every case living inside their location scope.
    Service providers see cases only through referrals; national analysts see none."""
    if not (user.is_authenticated and user.has_capability("cases.view")):
        return CaseVisibility(None)
    mine = _mine(user, with_history=True)
    restriction = _restriction(user)
    return CaseVisibility(restriction if mine is None else restriction & mine)


def cases_visible_to(user) -> QuerySet[Case]:
    """The cases `user` may see (the rules: `case_visibility`)."""
    return case_visibility(user).cases()


def cases_editable_by(user) -> QuerySet[Case]:
    """Previous teams and the agency that created the case keep read access only; editing needs
    the case to be with your team, assigned to you, or in your area as an officer."""
    if not (user.is_authenticated and user.has_capability("cases.edit")):
        return Case.objects.none()
    mine = _mine(user, with_history=False)
    cases = Case.objects.filter(_restriction(user))
    return cases.filter(mine) if mine is not None else cases


def _visible(user, visible: QuerySet[Case] | None) -> QuerySet[Case]:
    """`visible` is the reader's own `cases_visible_to(user)` when a page has it already (one
    visibility lookup per page instead of one per figure); never a wider set."""
    return cases_visible_to(user) if visible is None else visible


def tasks_for_user(user, *, visible: QuerySet[Case] | None = None) -> QuerySet[Task]:
    """Open tasks on open cases for this worker (or their team), most urgent first."""
    if not user.is_authenticated:
        return Task.objects.none()
    cases = _visible(user, visible).filter(is_open=True).values("pk")
    mine = Q(assigned_to=user) | (
        Q(agency_id=user.agency_id, assigned_to__isnull=True) if user.agency_id else Q(pk__in=[])
    )
    return (
        Task.objects.filter(mine, done_at__isnull=True, case__in=cases)
        .select_related("case", "assigned_to")  # the list names each task's worker
        .order_by("due_at", "pk")
    )


def due_buckets() -> dict[str, Q]:
    """Open tasks by urgency, overdue first; the task list's `?due=` filter and the dashboard
    count with the same conditions, so a number and its list agree."""
    now = timezone.localtime()
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    week = tomorrow + timedelta(days=6)
    return {
        "overdue": Q(due_at__lt=now),
        "today": Q(due_at__gte=now, due_at__lt=tomorrow),
        "week": Q(due_at__gte=tomorrow, due_at__lt=week),
        "later": Q(due_at__gte=week),
    }


def overdue_step() -> Q:
    """A step not done by its due date (on a task)."""
    return Q(done_at__isnull=True, due_at__lt=timezone.now())


def overdue_tasks_visible_to(user, *, visible: QuerySet[Case] | None = None) -> QuerySet[Task]:
    cases = _visible(user, visible).filter(is_open=True).values("pk")
    return (
        Task.objects.filter(overdue_step(), case__in=cases)
        .select_related("case", "assigned_to")
        .order_by("due_at", "pk")
    )


def approvals_waiting_for(user, *, visible: QuerySet[Case] | None = None) -> QuerySet[Approval]:
    if not (user.is_authenticated and user.has_capability("cases.approve")):
        return Approval.objects.none()
    cases = _visible(user, visible).values("pk")
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


# Conditions of the case list's filters, shared with the dashboards' conditional counts (one
# query counting several figures) so that a figure and the list behind it agree.


def with_overdue_steps() -> Q:
    late = Task.objects.filter(overdue_step()).values("case_id")
    return Q(pk__in=late, is_open=True)


def without_approved_plan() -> Q:
    approved = CasePlan.objects.filter(status=CasePlan.Status.APPROVED).values("case_id")
    return ~Q(pk__in=approved)


def awaiting_referral() -> Q:
    from cpims.referrals.models import Referral  # referrals import this module

    waiting = Referral.objects.filter(status__in=["sent", "received"]).values("case_id")
    return Q(pk__in=waiting)


def _places_within(code: str) -> list[int]:
    """The place of `code` and every place inside it, as ids: a filter on the case's own
    column, which the database estimates well (a join on the path prefix it does not)."""
    location = Location.objects.filter(code=code).first()
    if location is None:
        return []
    return list(
        Location.objects.filter(path__startswith=location.path).values_list("pk", flat=True)
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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
    plan: str = "",
    referral: str = "",
    opened_from: date | None = None,
    opened_to: date | None = None,
    visible: QuerySet[Case] | None = None,
) -> QuerySet[Case]:
    cases = _visible(user, visible)
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
    elif is_number_text(worker):
        cases = cases.filter(assigned_worker_id=int(worker))
    if place:
        cases = cases.filter(location_id__in=_places_within(place))
    if harm:
        cases = cases.filter(pk__in=CaseHarm.objects.filter(harm=harm).values("case_id"))
    if overdue:
        cases = cases.filter(with_overdue_steps())
    if opened_from:  # local calendar days, as bounds on the indexed column
        cases = cases.filter(opened_at__gte=_day_start(opened_from))
    if opened_to:
        cases = cases.filter(opened_at__lt=_day_start(opened_to + timedelta(days=1)))
    if plan == "none":
        cases = cases.filter(without_approved_plan())
    if referral == "awaiting":
        cases = cases.filter(awaiting_referral())
    if q:
        from cpims.registry.identity.translit import name_key

        key = name_key(q)
        children = (
            CaseChild.objects.filter(person__given_key=key).values("case_id") if key else None
        )
        cases = cases.filter(
            Q(number__startswith=q.strip()) | Q(pk__in=children)
            if children is not None
            else Q(number__startswith=q.strip())
        )
    return cases.order_by("-opened_at", "-pk")
