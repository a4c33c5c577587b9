"""Capacity indicators by area, computed from the staff registry, training, supervision, the
open cases and the child population (the finance module's `ChildPopulation`, when installed).

One pass over the records of the area (a few thousand rows nationally), then sums by place
prefix — no query per sub-area. Definitions (as of a date, `as_of`):

- social workers: posts of kind social worker, filled and active on `as_of`;
- social workers per 1,000 children: social workers / children 0–17 × 1,000;
- caseload per worker: open cases living in the area / social workers; `over_norm` counts the
  social workers with more open cases assigned than CPIMS_CASELOAD_NORM;
- vacant posts: active posts marked vacant (any role);
- local units without a trained social worker: soums (and, in the capital, khoroos) where no
  active social worker has completed a training;
- training coverage: % of social workers who completed a training in the 12 months to `as_of`;
- supervision: sessions per social worker in those 12 months, and % supervised in the last 90
  days.
"""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.cases.models import Case
from cpims.geo.models import Location
from cpims.workforce.choices import StaffKind
from cpims.workforce.models import Attendance, StaffMember, SupervisionSession

CAPITAL_PATH = "MN/11/"


def ratio(part, whole, *, scale: int = 1, digits: int = 2):
    return round(scale * part / whole, digits) if whole else None


def child_population(area: Location, year: int) -> dict[str, int | None]:
    """Children per place path inside `area`: a place's own row, else the sum of its parts
    (recursively); None where nothing is known."""
    if not apps.is_installed("cpims.finance"):
        return {}
    try:
        model = apps.get_model("finance", "ChildPopulation")
    except LookupError:
        return {}
    known = dict(
        model.objects.filter(year=year, location__path__startswith=area.path).values_list(
            "location__path", "children"
        )
    )
    places = list(Location.objects.filter(path__startswith=area.path).values_list("path", "depth"))
    children_of = defaultdict(list)
    for path, _depth in places:
        parent = path.rstrip("/").rsplit("/", 1)[0] + "/" if path.count("/") > 1 else None
        if parent:
            children_of[parent].append(path)
    result: dict[str, int | None] = {}
    for path, _depth in sorted(places, key=lambda p: -p[1]):  # deepest first
        if path in known:
            result[path] = known[path]
        else:
            parts = [result[c] for c in children_of[path] if result.get(c) is not None]
            result[path] = sum(parts) if parts else None
    return result


def _local_units(area: Location) -> list[tuple[str, str, str]]:
    """Soums outside the capital and khoroos inside it: where a social worker is expected."""
    units = Location.objects.filter(path__startswith=area.path, is_active=True).filter(
        (Q(level=Location.Level.SOUM) & ~Q(path__startswith=CAPITAL_PATH))
        | Q(level=Location.Level.BAG, path__startswith=CAPITAL_PATH)
    )
    return list(units.order_by("path").values_list("path", "code", "name_mn"))


def _active(row: dict, as_of: date) -> bool:
    started, ended = row["started_on"], row["ended_on"]
    return (started is None or started <= as_of) and (ended is None or ended > as_of)


def capacity_indicators(
    *, area: Location, year: int | None = None, as_of: date | None = None
) -> dict:
    as_of = as_of or timezone.localdate()
    year = year or as_of.year
    year_ago, quarter_ago = as_of - timedelta(days=365), as_of - timedelta(days=90)
    staff = [
        row
        for row in StaffMember.objects.filter(location__path__startswith=area.path).values(
            "pk", "kind", "is_vacant", "started_on", "ended_on", "location__path", "user_id"
        )
        if _active(row, as_of)
    ]
    workers = [s for s in staff if s["kind"] == StaffKind.SOCIAL_WORKER and not s["is_vacant"]]
    worker_ids = [s["pk"] for s in workers]
    done = Attendance.objects.filter(staff_id__in=worker_ids, completed=True)
    trained_ever = set(done.values_list("staff_id", flat=True))
    trained_recent = set(
        done.filter(session__ends_on__gt=year_ago, session__ends_on__lte=as_of).values_list(
            "staff_id", flat=True
        )
    )
    supervision = list(
        SupervisionSession.objects.filter(
            worker_id__in=worker_ids, held_on__gt=year_ago, held_on__lte=as_of
        ).values_list("worker_id", "held_on")
    )
    sessions = Counter(w for w, _day in supervision)
    recent = {w for w, day in supervision if day > quarter_ago}
    cases_by_path = dict(
        Case.objects.filter(is_open=True, location__path__startswith=area.path)
        .values_list("location__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    user_ids = [s["user_id"] for s in workers if s["user_id"]]
    load = dict(
        Case.objects.filter(is_open=True, assigned_worker_id__in=user_ids)
        .values_list("assigned_worker_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    norm = settings.CPIMS_CASELOAD_NORM
    population = child_population(area, year)
    units = _local_units(area)

    def figures(path: str, code: str, name: str) -> dict:
        mine = [s for s in workers if s["location__path"].startswith(path)]
        ids = {s["pk"] for s in mine}
        count = len(mine)
        children = population.get(path)
        open_cases = sum(n for p, n in cases_by_path.items() if p.startswith(path))
        untrained = [
            (u_code, u_name)
            for u_path, u_code, u_name in units
            if u_path.startswith(path)
            and not any(
                s["location__path"].startswith(u_path) and s["pk"] in trained_ever for s in mine
            )
        ]
        return {
            "code": code,
            "name": name,
            "social_workers": count,
            "supervisors": sum(
                1
                for s in staff
                if s["kind"] == StaffKind.SUPERVISOR
                and not s["is_vacant"]
                and s["location__path"].startswith(path)
            ),
            "staff": sum(
                1 for s in staff if not s["is_vacant"] and s["location__path"].startswith(path)
            ),
            "vacant_posts": sum(
                1 for s in staff if s["is_vacant"] and s["location__path"].startswith(path)
            ),
            "children": children,
            "workers_per_1000_children": ratio(count, children, scale=1000, digits=3),
            "open_cases": open_cases,
            "caseload_per_worker": ratio(open_cases, count, digits=1),
            "over_norm": sum(1 for s in mine if load.get(s["user_id"], 0) > norm),
            "local_units": sum(1 for u in units if u[0].startswith(path)),
            "units_without_trained_worker": len(untrained),
            "untrained_units": untrained,
            "training_coverage": ratio(len(ids & trained_recent), count, scale=100, digits=1),
            "ever_trained": ratio(len(ids & trained_ever), count, scale=100, digits=1),
            "supervision_per_worker": ratio(sum(sessions[i] for i in ids), count, digits=2),
            "supervised_last_90_days": ratio(len(ids & recent), count, scale=100, digits=1),
        }

    subareas = list(
        Location.objects.filter(parent=area, is_active=True)
        .order_by("path")
        .values_list("path", "code", "name_mn")
    )
    return {
        "area": area,
        "year": year,
        "as_of": as_of,
        "norm": norm,
        "rows": [figures(*sub) for sub in subareas],
        "total": figures(area.path, area.code, area.name_mn),
    }


COLUMNS = [
    ("name", _("Area")),
    ("social_workers", _("Social workers")),
    ("supervisors", _("Supervisors")),
    ("vacant_posts", _("Vacant posts")),
    ("children", _("Children 0–17")),
    ("workers_per_1000_children", _("Social workers per 1,000 children")),
    ("open_cases", _("Open cases")),
    ("caseload_per_worker", _("Caseload per worker")),
    ("over_norm", _("Workers over the caseload norm")),
    ("local_units", _("Soums/khoroos")),
    ("units_without_trained_worker", _("Soums/khoroos with no trained social worker")),
    ("training_coverage", _("Trained in the last 12 months %")),
    ("supervision_per_worker", _("Supervision sessions per worker (12 months)")),
    ("supervised_last_90_days", _("Supervised in the last 90 days %")),
]
