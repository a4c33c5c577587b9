"""Dashboard sections by area: an aimag/district officer's soums or khoroos (through the case
and referral selectors, with links to the lists), and the national analyst's aimags (through
`Counting` of a place in their scope: counts and rates only, small cells suppressed as in the
indicator tables). Each figure is one query grouped by the location of its records; the rows it
returns are places, never records, and are folded into the areas one level down."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.cases.choices import Risk, TaskKind
from cpims.cases.models import Task
from cpims.cases.selectors import awaiting_referral, case_list
from cpims.finance.money import percent
from cpims.geo.models import Location
from cpims.referrals.choices import DeclineReason, ServiceType, Status
from cpims.referrals.models import Coverage
from cpims.referrals.selectors import referrals_visible_to
from cpims.reports.dashboards import Figure, list_url
from cpims.reports.selectors import Counting, areas_of
from cpims.reports.snapshots import NATIONAL_SECTION, decode_counters, payload
from cpims.reports.suppression import suppress
from cpims.reports.tables import SUPPRESSED, threshold

ACCEPTED = [Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.NOT_COMPLETED]
HERE = ""  # records held at the place itself (or with no place), not in an area below it


def area_key(path: str | None, place: Location) -> str:
    """The code of the area one level below `place` that holds `path`; HERE otherwise."""
    if not path or not path.startswith(place.path):
        return HERE
    return path[len(place.path) :].split("/", 1)[0]


def places_within(place: Location) -> dict[int, str]:
    """Path of every place inside `place` (and of `place` itself), by id."""
    return dict(Location.objects.filter(path__startswith=place.path).values_list("pk", "path"))


def by_area(
    qs: QuerySet, field: str, place: Location, paths: dict[int, str] | None, **aggregates
) -> dict[str, Counter]:
    """Aggregates grouped by the area one level below `place` (one query, grouped by place).
    With `paths` (`places_within(place)`), `field` is the records' own location column: no
    join to the places, whose path prefix the database misestimates (the officer's records,
    filtered on location ids); without, `field` is a path the query joins anyway (`Counting`
    filters on the path). Places where every aggregate is zero are left out (they add
    nothing, and must not make a row)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for row in qs.order_by().values(field).annotate(**aggregates):
        if not any(row[name] for name in aggregates):
            continue
        path = row[field] if paths is None else paths.get(row[field])
        key = area_key(path, place)
        for name in aggregates:
            out[key][name] += row[name] or 0
    return out


@dataclass
class AreaRow:
    code: str
    name: str
    cells: dict[str, Figure] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)


def _rows(place: Location, areas: list[Location], used: set[str]) -> list[tuple[str, str, str]]:
    """(key, code, name) per area, plus the place's own row when something is held there."""
    known = {a.code for a in areas}
    rows = [(a.code, a.code, a.name) for a in areas]
    if used - known:
        rows.append((HERE, place.code, f"{place.name} (*)"))
    return rows


def _fold_unknown(counts: dict[str, Counter], areas: list[Location]) -> dict[str, Counter]:
    """Keys of inactive or unknown areas count in the place's own row."""
    known = {a.code for a in areas}
    folded: dict[str, Counter] = defaultdict(Counter)
    for key, counter in counts.items():
        folded[key if key in known else HERE].update(counter)
    return folded


def _settled(tasks: QuerySet, period, kinds: list[str]) -> QuerySet:
    """Steps of `kinds` due in the period that are done or already overdue (as CM4, CM5)."""
    return tasks.filter(period.q("due_at"), kind__in=kinds).filter(
        Q(done_at__isnull=False) | Q(due_at__lt=timezone.now())
    )


def _settled_first_responses(tasks: QuerySet, period) -> QuerySet:
    return _settled(tasks, period, [TaskKind.FIRST_RESPONSE])


ON_TIME = Q(done_at__isnull=False, done_at__lte=F("due_at"))
FIRST = Q(kind=TaskKind.FIRST_RESPONSE)
ASSESSMENT = Q(kind=TaskKind.INITIAL_ASSESSMENT)


def service_gaps(place: Location, areas: list[Location]) -> dict[str, list[str]]:
    """Service types with no active service covering an area (covering it, a place above it or
    a place inside it) — the referral report's rule, one level down."""
    codes = [c for c in place.path.split("/") if c]
    above = ["".join(f"{c}/" for c in codes[: i + 1]) for i in range(len(codes))]
    coverage = set(
        Coverage.objects.filter(service__is_active=True)
        .filter(Q(location__path__in=above) | Q(location__path__startswith=place.path))
        .values_list("service__service_type", "location__path")
        .distinct()
    )
    gaps = {}
    for area in areas:
        covered = {t for t, p in coverage if area.path.startswith(p) or p.startswith(area.path)}
        gaps[area.code] = [str(label) for code, label in ServiceType.choices if code not in covered]
    return gaps


def area_section(user, period, visibility, overdue: dict) -> dict:
    """The officer's area by soum/khoroo: open and high-risk cases, cases with overdue steps,
    first responses and initial assessments on time (%), referrals sent and answered, cases
    waiting on a referral, service gaps. Only cases the officer can see (`case_list` →
    `cases_visible_to`; `visibility` is the reader's, looked up once for the page). The case
    figures are one query, each counting with the condition of its list's filter; the steps
    are read through a join on their case (the same condition, as `visibility.through`);
    `overdue` is `overdue_by_location` (cases with overdue steps, shared with the supervisor
    section), of which only the places of the area count."""
    place = user.scope
    areas = areas_of(place)
    paths = places_within(place)
    visible = visibility.cases()
    in_place = case_list(user, place=place.code, visible=visible)
    is_open = Q(is_open=True)
    cases = by_area(
        in_place,
        "location",
        place,
        paths,
        open=Count("pk", filter=is_open),
        high=Count("pk", filter=is_open & Q(risk=Risk.HIGH)),
        waiting=Count("pk", filter=awaiting_referral()),
    )
    for location, (_steps, n) in overdue.items():
        if location in paths:  # a case outside the area is not the area's
            cases[area_key(paths[location], place)]["overdue"] += n
    in_place = in_place.order_by().values("pk")
    steps = Task.objects.filter(visibility.through("case"), case__location_id__in=list(paths))
    responses = by_area(
        _settled(
            steps,
            period,
            [TaskKind.FIRST_RESPONSE, TaskKind.INITIAL_ASSESSMENT],
        ),
        "case__location",
        place,
        paths,
        total=Count("pk", filter=FIRST),
        on_time=Count("pk", filter=FIRST & ON_TIME),
        assessments=Count("pk", filter=ASSESSMENT),
        assessments_on_time=Count("pk", filter=ASSESSMENT & ON_TIME),
    )
    referrals = by_area(
        referrals_visible_to(user, visible=visible).filter(period.q("sent_at"), case__in=in_place),
        "case__location",
        place,
        paths,
        sent=Count("pk"),
        accepted=Count("pk", filter=Q(status__in=ACCEPTED)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        no_capacity=Count(
            "pk", filter=Q(status=Status.DECLINED, decline_reason=DeclineReason.NO_CAPACITY)
        ),
    )
    tables = [_fold_unknown(t, areas) for t in [cases, responses, referrals]]
    gaps = service_gaps(place, areas)
    used = set().union(*[t.keys() for t in tables])
    rows = []
    for key, code, name in _rows(place, areas, used):
        linked = key != HERE  # the place's own row has no list of its own

        def cases_url(code=code, linked=linked, **query):
            return list_url(user, "cases:list", place=code, **query) if linked else None

        row = _area_row(code, name, *[table[key] for table in tables], cases_url)
        row.gaps = gaps.get(key, [])
        rows.append(row)

    def total_url(**query):
        return list_url(user, "cases:list", place=place.code, **query)

    total_row = _area_row(place.code, _("Total"), *[_sum(t) for t in tables], total_url)
    return {"place": place, "rows": rows, "total": total_row}


def _sum(table: dict[str, Counter]) -> Counter:
    total: Counter = Counter()
    for counter in table.values():
        total.update(counter)
    return total


def _area_row(code, name, cases, responses, referrals, cases_url) -> AreaRow:
    answered = referrals.get("accepted", 0) + referrals.get("declined", 0)
    return AreaRow(
        code,
        name,
        {
            "open": Figure(_("Open cases"), cases.get("open", 0), cases_url(status="open")),
            "high": Figure(
                _("High risk"), cases.get("high", 0), cases_url(status="open", risk=Risk.HIGH)
            ),
            "overdue": Figure(
                _("With overdue steps"), cases.get("overdue", 0), cases_url(overdue=1)
            ),
            "on_time": Figure(
                _("First responses on time (%)"),
                percent(responses.get("on_time", 0), responses.get("total", 0)),
            ),
            "due": Figure(_("First responses due (done or overdue)"), responses.get("total", 0)),
            "assessment_on_time": Figure(
                _("Initial assessments on time (%)"),
                percent(responses.get("assessments_on_time", 0), responses.get("assessments", 0)),
            ),
            "sent": Figure(_("Referrals sent"), referrals.get("sent", 0)),
            "acceptance": Figure(
                _("Accepted (%)"), percent(referrals.get("accepted", 0), answered)
            ),
            "no_capacity": Figure(_("Declined: no capacity"), referrals.get("no_capacity", 0)),
            "waiting": Figure(
                _("Cases waiting on a referral"),
                cases.get("waiting", 0),
                cases_url(referral="awaiting"),
            ),
        },
    )


# --- national: aggregate only ------------------------------------------------------------

NATIONAL_COLUMNS = [
    # key, indicator code, parts (counts that are suppressed), whether the value is a rate
    ("cases", "CM1", ("n",), False),
    ("contacts", "HL1", ("n",), False),
    ("first_response", "CM4", ("on_time", "late"), True),
    ("acceptance", "SV1", ("accepted", "declined"), True),
]


def national_counts(place: Location, period) -> dict[str, dict[str, Counter]]:
    """The counts behind the national section, by area key (before folding): what a snapshot
    of the section keeps."""
    counting = Counting(place)
    responses = by_area(
        _settled_first_responses(counting.tasks(), period),
        "case__location__path",
        place,
        None,
        on_time=Count("pk", filter=ON_TIME),
        total=Count("pk"),
    )
    for counter in responses.values():
        counter["late"] = counter["total"] - counter["on_time"]
    answered = counting.referrals().filter(
        period.q("sent_at"), status__in=[*ACCEPTED, Status.DECLINED]
    )
    data = {
        "cases": by_area(
            counting.cases().filter(period.q("opened_at")),
            "location__path",
            place,
            None,
            n=Count("pk"),
        ),
        "contacts": by_area(
            counting.contacts().filter(period.q("started_at")),
            "caller_location__path",
            place,
            None,
            n=Count("pk"),
        ),
        "first_response": responses,
        "acceptance": by_area(
            answered,
            "case__location__path",
            place,
            None,
            accepted=Count("pk", filter=Q(status__in=ACCEPTED)),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
        ),
    }
    return data


def national_section(user, place: Location, period) -> dict:
    """Per area one level down (aimags, for a national scope): cases opened, helpline contacts,
    first responses on time (%), referral acceptance (%) — the definitions of CM1, HL1, CM4 and
    SV1 — with each figure's table suppressed like the indicator tables: no names, no case
    numbers, and no count below the threshold."""
    areas = areas_of(place)
    kept = payload(place, period.start, period.end, NATIONAL_SECTION)
    data = decode_counters(kept[0]) if kept else national_counts(place, period)
    data = {k: _fold_unknown(v, areas) for k, v in data.items()}
    used = set().union(*[v.keys() for v in data.values()])
    names = _rows(place, areas, used)
    columns = {}
    for key, _code, parts, is_rate in NATIONAL_COLUMNS:
        matrix = [[data[key][row_key][p] for p in parts] for row_key, _c, _n in names]
        if not matrix:
            columns[key] = ([], None)
            continue
        shown = suppress(matrix, threshold())
        values = [_shown_value(cells, is_rate) for cells in shown.cells]
        columns[key] = (values, _shown_value(shown.col_totals, is_rate))
    query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    rows = []
    for i, (row_key, code, name) in enumerate(names):
        cells = {}
        for key, indicator, _parts, _rate in NATIONAL_COLUMNS:
            value = columns[key][0][i]
            linked = row_key != HERE and value != SUPPRESSED
            url = (
                list_url(user, "reports:indicator", args=[indicator], place=code, **query)
                if linked
                else None
            )
            cells[key] = Figure(indicator, value, url)
        rows.append(AreaRow(code, name, cells))
    total_cells = {
        key: Figure(
            indicator,
            columns[key][1],
            list_url(user, "reports:indicator", args=[indicator], **query)
            if columns[key][1] != SUPPRESSED
            else None,
        )
        for key, indicator, _p, _r in NATIONAL_COLUMNS
    }
    return {
        "place": place,
        "rows": rows,
        "total": AreaRow(place.code, _("Total"), total_cells),
        "as_of": kept[1] if kept else None,
    }


def _shown_value(cells: list, is_rate: bool):
    """A count, or a rate from its parts; a suppressed part hides the rate too (it would give
    the part back)."""
    if any(c is None for c in cells):
        return SUPPRESSED
    if not is_rate:
        return cells[0]
    return percent(cells[0], sum(cells))
