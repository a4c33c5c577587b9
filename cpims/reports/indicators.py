"""The indicator catalogue, as code and data.

Each `Indicator` names what it counts (code, names in Mongolian and English, definition,
numerator, denominator, disaggregations) and computes itself for a period (dates, inclusive) and
a place (a location subtree) through `Counting`, which holds the only querysets used. Results are
counts, sums and rates: nothing in a `Result` identifies a person.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language

from cpims.cases.choices import ClosureReason, Harm, Origin, Risk, TaskKind
from cpims.cases.models import CaseChild, CaseHarm, CasePlan
from cpims.finance.money import percent
from cpims.finance.selectors import budget_lines_visible_to
from cpims.geo.models import Location
from cpims.helpline.choices import CallType, Channel
from cpims.referrals.choices import ServiceType, Status, Topic
from cpims.registry.models import Person
from cpims.reports.selectors import Counting

AGE_BANDS = [("0-5", 0, 5), ("6-9", 6, 9), ("10-12", 10, 12), ("13-15", 13, 15), ("16-17", 16, 17)]
VIOLENCE = [h for h in Harm.values if h.startswith("icvac")]
ACCEPTED = [Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.NOT_COMPLETED]
RESPONDED = [*ACCEPTED, Status.DECLINED]
AUDIENCE = [
    ("girls_0_5", "Girls 0–5"),
    ("boys_0_5", "Boys 0–5"),
    ("girls_6_11", "Girls 6–11"),
    ("boys_6_11", "Boys 6–11"),
    ("girls_12_17", "Girls 12–17"),
    ("boys_12_17", "Boys 12–17"),
    ("women", "Women"),
    ("men", "Men"),
]
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def q(self, field_name: str) -> Q:
        if field_name.endswith(("_on", "date")):
            return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lte": self.end})
        return Q(**{f"{field_name}__gte": self.since, f"{field_name}__lt": self.until})


@dataclass
class Context:
    period: Period
    place: Location
    user: object = None

    @property
    def counting(self) -> Counting:
        return Counting(self.place)


Row = tuple[str, str, int]  # (key, label, count)


@dataclass
class Result:
    value: Decimal | int | None
    numerator: int | Decimal | None = None
    denominator: int | Decimal | None = None
    breakdowns: dict[str, list[Row]] = field(default_factory=dict)
    # Counts of people or records that make up the value: suppressed in aggregate exports.
    parts: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Indicator:
    code: str
    name_mn: str
    name_en: str
    definition: str
    numerator: str
    denominator: str
    unit: str  # count | percent | per100k | ratio
    compute: Callable[[Context], Result]
    disaggregations: tuple[str, ...] = ()
    context_codes: tuple[str, ...] = ()  # survey reference values shown beside it
    counts_people: bool = True  # False: money, never suppressed

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "mn").startswith("en") else self.name_mn


def _rate(numerator, denominator) -> Decimal | None:
    return percent(numerator, denominator)


def _ratio(numerator, denominator, scale: int = 1) -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(numerator) * scale / Decimal(denominator)
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _rows(choices, counts: dict) -> list[Row]:
    """Every category in its defined order, zeros included, then any unexpected key."""
    rows = [(str(key), str(label), int(counts.get(key, 0))) for key, label in choices]
    known = {key for key, _ in choices}
    rows += [(str(k), str(k or "—"), int(v)) for k, v in counts.items() if k not in known]
    return rows


def _count_by(qs, name: str) -> dict:
    return {row[name]: row["n"] for row in qs.values(name).annotate(n=Count("pk")).order_by()}


def age_band(born: date | None, on: date) -> str:
    if born is None:
        return "unknown"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for code, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return "unknown"


SEX_CHOICES = [(k, str(v)) for k, v in Person.Sex.choices]
AGE_CHOICES = [*[(code, code) for code, _, _ in AGE_BANDS], ("unknown", "unknown")]


def _sex_age(links) -> dict[str, list[Row]]:
    """Sex and age band (at the case's opening) of each child link."""
    sexes: Counter = Counter()
    ages: Counter = Counter()
    for sex, born, opened in links.values_list(
        "person__sex", "person__date_of_birth", "case__opened_at"
    ):
        sexes[sex] += 1
        ages[age_band(born, timezone.localdate(opened))] += 1
    return {"sex": _rows(SEX_CHOICES, sexes), "age_band": _rows(AGE_CHOICES, ages)}


def _case_breakdowns(cases) -> dict[str, list[Row]]:
    harms = _count_by(CaseHarm.objects.filter(case__in=cases.values("pk")), "harm")
    primary = CaseChild.objects.filter(case__in=cases.values("pk"), is_primary=True)
    return {
        "harm": _rows(Harm.choices, harms),
        "risk": _rows(Risk.choices, _count_by(cases, "risk")),
        "origin": _rows(Origin.choices, _count_by(cases, "origin")),
        **_sex_age(primary),
    }


# --- the computations -------------------------------------------------------------------


def contacts(ctx: Context) -> Result:
    qs = ctx.counting.contacts().filter(ctx.period.q("started_at"))
    total = qs.count()
    return Result(
        value=total,
        numerator=total,
        breakdowns={
            "call_type": _rows(CallType.choices, _count_by(qs, "call_type")),
            "channel": _rows(Channel.choices, _count_by(qs, "channel")),
        },
        parts=[("contacts", total)],
    )


def non_counselling_share(ctx: Context) -> Result:
    qs = ctx.counting.contacts().filter(ctx.period.q("started_at"))
    total = qs.count()
    other = qs.exclude(call_type=CallType.DATA).count()
    return Result(
        value=_rate(other, total),
        numerator=other,
        denominator=total,
        parts=[("non_counselling", other), ("counselling", total - other)],
    )


def cases_opened(ctx: Context) -> Result:
    qs = ctx.counting.cases().filter(ctx.period.q("opened_at"))
    total = qs.count()
    return Result(
        value=total, numerator=total, breakdowns=_case_breakdowns(qs), parts=[("cases", total)]
    )


def cases_closed(ctx: Context) -> Result:
    qs = ctx.counting.cases().filter(ctx.period.q("closed_at"))
    total = qs.count()
    breakdowns = {
        "closure_reason": _rows(ClosureReason.choices, _count_by(qs, "closure_reason")),
        **_case_breakdowns(qs),
    }
    return Result(value=total, numerator=total, breakdowns=breakdowns, parts=[("cases", total)])


def child_population(place: Location, year: int) -> int | None:
    """Children aged 0–17 of `place` in `year` (or the latest earlier year): the place's own
    figure, else the sum over the shallowest level inside it with figures (the finance rule)."""
    latest: dict[str, tuple[int, int]] = {}
    rows = Counting(place).populations().filter(year__lte=year)
    for path, row_year, children in rows.values_list("location__path", "year", "children"):
        if path not in latest or latest[path][0] < row_year:
            latest[path] = (row_year, children)
    if place.path in latest:
        return latest[place.path][1]
    if not latest:
        return None
    shallowest = min(p.count("/") for p in latest)
    return sum(v[1] for p, v in latest.items() if p.count("/") == shallowest)


def victims_per_100k(ctx: Context) -> Result:
    cases = (
        ctx.counting.cases().filter(ctx.period.q("opened_at"), harms__harm__in=VIOLENCE).distinct()
    )
    links = CaseChild.objects.filter(case__in=cases.values("pk"))
    first = {}
    for link in links.order_by("case__opened_at").select_related("person", "case"):
        first.setdefault(link.person_id, link)
    children = len(first)
    population = child_population(ctx.place, ctx.period.end.year)
    breakdown = _sex_age(links.filter(pk__in=[link.pk for link in first.values()]))
    return Result(
        value=_ratio(children, population, 100_000),
        numerator=children,
        denominator=population,
        breakdowns=breakdown,
        parts=[("children", children)],
    )


def _on_time(kind: str) -> Callable[[Context], Result]:
    def compute(ctx: Context) -> Result:
        now = timezone.now()
        tasks = ctx.counting.tasks().filter(ctx.period.q("due_at"), kind=kind)
        settled = tasks.filter(Q(done_at__isnull=False) | Q(due_at__lt=now))
        total = settled.count()
        on_time = settled.filter(done_at__isnull=False, done_at__lte=F("due_at")).count()
        return Result(
            value=_rate(on_time, total),
            numerator=on_time,
            denominator=total,
            parts=[("on_time", on_time), ("late_or_missed", total - on_time)],
        )

    return compute


def _open_at_end(ctx: Context):
    until = ctx.period.until
    return (
        ctx.counting.cases()
        .filter(opened_at__lt=until)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=until))
    )


def approved_plan_share(ctx: Context) -> Result:
    cases = _open_at_end(ctx)
    total = cases.count()
    approved = CasePlan.objects.filter(
        case__in=cases.values("pk"),
        status=CasePlan.Status.APPROVED,
        approved_at__lt=ctx.period.until,
    )
    with_plan = cases.filter(pk__in=approved.values("case_id")).count()
    return Result(
        value=_rate(with_plan, total),
        numerator=with_plan,
        denominator=total,
        parts=[("with_plan", with_plan), ("without_plan", total - with_plan)],
    )


def caseload_per_worker(ctx: Context) -> Result:
    cases = _open_at_end(ctx).filter(assigned_worker__isnull=False)
    total = cases.count()
    workers = cases.values("assigned_worker").distinct().count()
    return Result(
        value=_ratio(total, workers),
        numerator=total,
        denominator=workers,
        parts=[("open_cases", total), ("workers", workers)],
    )


def recurrence(ctx: Context) -> Result:
    """Cases opened in the period for a child who had another case opened in the 12 months
    (365 days) before it, anywhere."""
    cases = ctx.counting.cases().filter(ctx.period.q("opened_at"))
    links = list(
        CaseChild.objects.filter(case__in=cases.values("pk")).values_list(
            "case_id", "person_id", "case__opened_at"
        )
    )
    persons = {person for _, person, _ in links}
    earlier: dict[int, list[tuple[int, datetime]]] = {}
    history = CaseChild.objects.filter(
        person_id__in=persons, case__opened_at__gte=ctx.period.since - timedelta(days=365)
    ).values_list("person_id", "case_id", "case__opened_at")
    for person, case_id, opened in history:
        earlier.setdefault(person, []).append((case_id, opened))
    recurrent = set()
    for case_id, person, opened in links:
        for other, other_opened in earlier.get(person, []):
            if other != case_id and opened - timedelta(days=365) <= other_opened < opened:
                recurrent.add(case_id)
    total = cases.count()
    return Result(
        value=_rate(len(recurrent), total),
        numerator=len(recurrent),
        denominator=total,
        parts=[("recurrent", len(recurrent)), ("first", total - len(recurrent))],
    )


def referral_acceptance(ctx: Context) -> Result:
    sent = ctx.counting.referrals().filter(ctx.period.q("sent_at"))
    responded = sent.filter(status__in=RESPONDED)
    total = responded.count()
    accepted = responded.filter(status__in=ACCEPTED).count()
    by_type = _count_by(sent.values("service__service_type"), "service__service_type")
    return Result(
        value=_rate(accepted, total),
        numerator=accepted,
        denominator=total,
        breakdowns={"service_type": _rows(ServiceType.choices, by_type)},
        parts=[("accepted", accepted), ("declined", total - accepted)],
    )


def services_delivered(ctx: Context) -> Result:
    qs = ctx.counting.deliveries().filter(ctx.period.q("delivered_on"))
    total = qs.count()
    return Result(
        value=total,
        numerator=total,
        breakdowns={"service_type": _rows(ServiceType.choices, _count_by(qs, "service_type"))},
        parts=[("deliveries", total)],
    )


def prevention_reached(ctx: Context) -> Result:
    qs = ctx.counting.activities().filter(ctx.period.q("held_on"))
    sums = qs.aggregate(**{name: Sum(name) for name, _ in AUDIENCE})
    audience = {name: sums[name] or 0 for name, _ in AUDIENCE}
    total = sum(audience.values())
    by_topic: Counter = Counter()
    for topic, *counts in qs.values_list("topic", *[name for name, _ in AUDIENCE]):
        by_topic[topic] += sum(counts)
    return Result(
        value=total,
        numerator=total,
        breakdowns={
            "audience": _rows(AUDIENCE, audience),
            "topic": _rows(Topic.choices, by_topic),
        },
        parts=[("people", total)],
    )


def finance_execution(ctx: Context) -> Result:
    """Spent ÷ approved of the budget lines of the period's last year (the finance rule), for
    users who may read the finance module."""
    lines = budget_lines_visible_to(ctx.user).filter(
        year=ctx.period.end.year, location__path__startswith=ctx.place.path
    )
    sums = lines.aggregate(approved=Sum("approved"), spent=Sum("spent"))
    approved = sums["approved"] or Decimal(0)
    spent = sums["spent"] or Decimal(0)
    return Result(value=_rate(spent, approved), numerator=spent, denominator=approved)


# --- the catalogue ----------------------------------------------------------------------

CASE_DIMENSIONS = ("harm", "risk", "origin", "sex", "age_band")

CATALOGUE: list[Indicator] = [
    Indicator(
        "HL1",
        "Тусламжийн утасны холбоо барилт",
        "Helpline contacts",
        "Completed helpline contacts started in the period, by call type and channel.",
        "completed contacts",
        "",
        "count",
        contacts,
        ("call_type", "channel"),
    ),
    Indicator(
        "HL2",
        "Зөвлөгөөний бус холбоо барилтын хувь",
        "Share of non-counselling contacts",
        "Silent, blank, prank, hang-up, wrong-number, abusive, test and unanswered contacts as a "
        "share of all completed contacts.",
        "contacts whose call type is not counselling",
        "completed contacts",
        "percent",
        non_counselling_share,
    ),
    Indicator(
        "CM1",
        "Нээгдсэн кейс",
        "Cases opened",
        "Cases opened in the period where the child lives in the place; a case with two harms "
        "counts under both.",
        "cases opened",
        "",
        "count",
        cases_opened,
        CASE_DIMENSIONS,
    ),
    Indicator(
        "CM2",
        "Хаагдсан кейс",
        "Cases closed",
        "Cases closed in the period, by closure reason, harm, risk, origin, sex and age band.",
        "cases closed",
        "",
        "count",
        cases_closed,
        ("closure_reason", *CASE_DIMENSIONS),
    ),
    Indicator(
        "CM3",
        "100,000 хүүхэд тутамд бүртгэгдсэн хохирогч хүүхэд",
        "Child victims registered per 100,000 children",
        "Distinct children on cases opened in the period with a violence harm (ICVAC 1–5, 9), "
        "per 100,000 children aged 0–17 (child population of the period's last year).",
        "distinct child victims",
        "child population 0–17",
        "per100k",
        victims_per_100k,
        ("sex", "age_band"),
        ("SDG16.2.1",),
    ),
    Indicator(
        "CM4",
        "Анхны хариу цагтаа",
        "First responses on time",
        "First-response steps due in the period done by their due time, of those done or "
        "already overdue.",
        "first responses done by the due time",
        "first responses due (done or overdue)",
        "percent",
        _on_time(TaskKind.FIRST_RESPONSE),
    ),
    Indicator(
        "CM5",
        "Анхан шатны үнэлгээ цагтаа",
        "Initial assessments on time",
        "Initial assessments due in the period done by their due time, of those done or "
        "already overdue.",
        "initial assessments done by the due time",
        "initial assessments due (done or overdue)",
        "percent",
        _on_time(TaskKind.INITIAL_ASSESSMENT),
    ),
    Indicator(
        "CM6",
        "Батлагдсан төлөвлөгөөтэй кейсийн хувь",
        "Cases with an approved case plan",
        "Cases open at the end of the period with a case plan approved by then.",
        "open cases with an approved plan",
        "cases open at the end of the period",
        "percent",
        approved_plan_share,
    ),
    Indicator(
        "CM7",
        "Нэг нийгмийн ажилтанд ногдох кейс",
        "Caseload per social worker",
        "Open cases at the end of the period with a social worker, per distinct social worker.",
        "open cases with a social worker",
        "social workers holding them",
        "ratio",
        caseload_per_worker,
    ),
    Indicator(
        "CM8",
        "Давтан кейс",
        "Recurrence",
        "Cases opened in the period for a child who had another case opened in the 12 months "
        "before.",
        "cases with an earlier case for the same child within 12 months",
        "cases opened",
        "percent",
        recurrence,
    ),
    Indicator(
        "SV1",
        "Хүлээн авсан илгээлтийн хувь",
        "Referral acceptance rate",
        "Referrals sent in the period and answered: accepted (or started, completed) of "
        "accepted plus declined.",
        "referrals accepted",
        "referrals answered",
        "percent",
        referral_acceptance,
        ("service_type",),
    ),
    Indicator(
        "SV2",
        "Үзүүлсэн үйлчилгээ",
        "Services delivered",
        "Service deliveries recorded as starting in the period, by service type.",
        "deliveries",
        "",
        "count",
        services_delivered,
        ("service_type",),
    ),
    Indicator(
        "PV1",
        "Урьдчилан сэргийлэлтэд хамрагдсан хүн",
        "People reached by prevention",
        "People in the audience of prevention and awareness activities held in the period.",
        "people reached",
        "",
        "count",
        prevention_reached,
        ("audience", "topic"),
    ),
    Indicator(
        "FN1",
        "Төсвийн гүйцэтгэл",
        "Finance execution rate",
        "Spent ÷ approved of the budget lines of the period's last year (finance readers only).",
        "spent (MNT)",
        "approved (MNT)",
        "percent",
        finance_execution,
        counts_people=False,
    ),
]

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in CATALOGUE}


def compute(code: str, *, period: Period, place: Location, user=None) -> Result:
    return BY_CODE[code].compute(Context(period=period, place=place, user=user))
