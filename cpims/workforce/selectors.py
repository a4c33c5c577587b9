"""Who sees which workforce record, and the workforce figures other modules use.

- `workforce.manage` (child protection officers): the staff, training attendance and
  supervision of their location scope;
- everyone: their own staff record, training record and supervision sessions;
- courses and training sessions hold no personal data: every signed-in user sees them;
- `workforce_figures` gives counts per area (no names) — the finance module's workforce norms
  read it."""

from datetime import date

from django.db.models import Q, QuerySet

from cpims.geo.models import Location
from cpims.workforce.models import (
    Attendance,
    Course,
    StaffMember,
    SupervisionSession,
    TrainingSession,
)

MANAGE = "workforce.manage"


def _manages(user) -> bool:
    return bool(user.is_authenticated and user.scope_id and user.has_capability(MANAGE))


def staff_visible_to(user) -> QuerySet[StaffMember]:
    if not user.is_authenticated:
        return StaffMember.objects.none()
    mine = Q(user=user)
    if _manages(user):
        mine |= Q(location__path__startswith=user.scope.path)
    return StaffMember.objects.filter(mine).select_related("agency", "location", "user")


def staff_editable_by(user) -> QuerySet[StaffMember]:
    if not _manages(user):
        return StaffMember.objects.none()
    return StaffMember.objects.filter(location__path__startswith=user.scope.path)


def courses_visible_to(user) -> QuerySet[Course]:
    return Course.objects.all() if user.is_authenticated else Course.objects.none()


def training_sessions_visible_to(user) -> QuerySet[TrainingSession]:
    if not user.is_authenticated:
        return TrainingSession.objects.none()
    return TrainingSession.objects.select_related("course", "location", "organiser")


def attendance_visible_to(user) -> QuerySet[Attendance]:
    return Attendance.objects.filter(staff__in=staff_visible_to(user).values("pk")).select_related(
        "session", "session__course", "staff"
    )


def supervision_visible_to(user) -> QuerySet[SupervisionSession]:
    """The supervisor, the supervised worker, and managers of the worker's area."""
    if not user.is_authenticated:
        return SupervisionSession.objects.none()
    mine = Q(supervisor__user=user) | Q(worker__user=user)
    if _manages(user):
        mine |= Q(worker__location__path__startswith=user.scope.path)
    return SupervisionSession.objects.filter(mine).select_related(
        "supervisor", "worker", "worker__location"
    )


def training_record(staff: StaffMember) -> QuerySet[Attendance]:
    return staff.attendance.select_related("session", "session__course").order_by(
        "-session__starts_on"
    )


def workforce_figures(
    *, area: Location | None = None, year: int | None = None, as_of: date | None = None
) -> list[dict]:
    """Per sub-area of `area` (default: the country, i.e. per aimag) and a total last: social
    workers, supervisors, vacant posts, children, open cases, caseload per worker, social workers
    per 1,000 children. Counts only; for workforce norms and costing."""
    from cpims.workforce.indicators import capacity_indicators

    area = area or Location.objects.get(parent__isnull=True, level=Location.Level.COUNTRY)
    report = capacity_indicators(area=area, year=year, as_of=as_of)
    keys = [
        "code",
        "name",
        "social_workers",
        "supervisors",
        "vacant_posts",
        "children",
        "open_cases",
        "caseload_per_worker",
        "workers_per_1000_children",
    ]
    return [{k: row[k] for k in keys} for row in [*report["rows"], report["total"]]]
