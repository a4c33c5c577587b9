"""Case management quality: steps done by their deadline (first response, initial assessment,
reviews), approved case plans, caseload per social worker and recurrence."""

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from cpims.cases.choices import TaskKind
from cpims.cases.models import CaseChild, CasePlan
from cpims.reports.indicators.base import Context, Indicator, Result, rate, ratio


def _on_time(kind: str) -> Callable[[Context], Result]:
    def compute(ctx: Context) -> Result:
        now = timezone.now()
        tasks = ctx.counting.tasks().filter(ctx.period.q("due_at"), kind=kind)
        settled = tasks.filter(Q(done_at__isnull=False) | Q(due_at__lt=now))
        total = settled.count()
        on_time = settled.filter(done_at__isnull=False, done_at__lte=F("due_at")).count()
        return Result(
            value=rate(on_time, total),
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
        value=rate(with_plan, total),
        numerator=with_plan,
        denominator=total,
        parts=[("with_plan", with_plan), ("without_plan", total - with_plan)],
    )


def caseload_per_worker(ctx: Context) -> Result:
    cases = _open_at_end(ctx).filter(assigned_worker__isnull=False)
    total = cases.count()
    workers = cases.values("assigned_worker").distinct().count()
    return Result(
        value=ratio(total, workers),
        numerator=total,
        denominator=workers,
        parts=[("open_cases", total), ("workers", workers)],
    )


YEAR = timedelta(days=365)


def recurrence(ctx: Context) -> Result:
    """Cases opened in the period for a child who had another case opened in the 12 months
    (365 days) before it, anywhere."""
    cases = ctx.counting.cases().filter(ctx.period.q("opened_at"))
    opened = OuterRef("case__opened_at")
    earlier = CaseChild.objects.filter(
        person_id=OuterRef("person_id"),
        case__opened_at__lt=opened,
        case__opened_at__gte=opened - YEAR,
    ).exclude(case_id=OuterRef("case_id"))
    links = CaseChild.objects.filter(case__in=cases.values("pk"))
    recurrent = links.filter(Exists(earlier)).values("case_id").distinct().count()
    total = cases.count()
    return Result(
        value=rate(recurrent, total),
        numerator=recurrent,
        denominator=total,
        parts=[("recurrent", recurrent), ("first", total - recurrent)],
    )


INDICATORS = [
    Indicator(
        "CM4",
        "Анхны хариу цагтаа",
        "First responses on time",
        "First-response steps due in the period done by their due time (set by the case's risk "
        "level), of those done or already overdue.",
        "first responses done by the due time",
        "first responses due (done or overdue)",
        "percent",
        _on_time(TaskKind.FIRST_RESPONSE),
    ),
    Indicator(
        "CM5",
        "Анхан шатны үнэлгээ цагтаа",
        "Initial assessments on time",
        "Initial assessments due in the period done by their due time (set by the case's risk "
        "level), of those done or already overdue.",
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
        "CM9",
        "Кейсийн эргэн хяналт цагтаа",
        "Reviews on time",
        "Follow-up visits and case reviews due in the period done by their due time (set by the "
        "case's risk level), of those done or already overdue.",
        "reviews done by the due time",
        "reviews due (done or overdue)",
        "percent",
        _on_time(TaskKind.FOLLOW_UP),
    ),
]
