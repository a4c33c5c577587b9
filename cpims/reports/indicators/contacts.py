"""Helpline indicators: contacts by call type, channel, category and the children's sex and age
band; the share of non-counselling contacts; escalations and their time to acknowledgement."""

from django.db.models import Case, CharField, Count, DurationField, F, Sum, Value, When

from cpims.helpline.choices import AGE_BANDS as CHI_AGE_BANDS
from cpims.helpline.choices import CallType, Channel, ChildSex, EscalationLevel
from cpims.helpline.models import Category, ContactChild, current_version
from cpims.reports.indicators.base import (
    Context,
    Indicator,
    Result,
    count_by,
    mean_hours,
    rate,
    rows,
    total_hours,
)

CHI_AGE_CHOICES = [*[(code, code) for code, _, _ in CHI_AGE_BANDS], ("unknown", "unknown")]
EMERGENCY_CHOICES = [("emergency", "Emergency"), ("routine", "Routine")]


def _category_choices() -> list[tuple[str, str]]:
    version = current_version()
    if version is None:
        return []
    mains = Category.objects.filter(version=version, parent__isnull=True).order_by("sort", "code")
    return [(c.code, c.label) for c in mains]


def _child_age_band():
    """The CHI age band of a contact's child, computed in the query (no age: unknown)."""
    return Case(
        *[
            When(age_years__gte=low, age_years__lte=high, then=Value(code))
            for code, low, high in CHI_AGE_BANDS
        ],
        default=Value("unknown"),
        output_field=CharField(),
    )


def contacts(ctx: Context) -> Result:
    qs = ctx.counting.contacts().filter(ctx.period.q("started_at"))
    total = qs.count()
    # A contact about two children counts under each child's sex and age band.
    children = ContactChild.objects.filter(contact__in=qs.values("pk"))
    ages = {
        row["band"]: row["n"]
        for row in children.annotate(band=_child_age_band())
        .values("band")
        .annotate(n=Count("pk"))
        .order_by()
    }
    categories = {key or "": n for key, n in count_by(qs, "primary_category__main__code").items()}
    return Result(
        value=total,
        numerator=total,
        breakdowns={
            "call_type": rows(CallType.choices, count_by(qs, "call_type")),
            "channel": rows(Channel.choices, count_by(qs, "channel")),
            "category": rows(_category_choices(), categories),
            "child_sex": rows(ChildSex.choices, count_by(children, "sex")),
            "child_age_band": rows(CHI_AGE_CHOICES, ages),
        },
        parts=[("contacts", total)],
    )


def non_counselling_share(ctx: Context) -> Result:
    qs = ctx.counting.contacts().filter(ctx.period.q("started_at"))
    total = qs.count()
    other = qs.exclude(call_type=CallType.DATA).count()
    return Result(
        value=rate(other, total),
        numerator=other,
        denominator=total,
        parts=[("non_counselling", other), ("counselling", total - other)],
    )


def _emergency(qs) -> dict[str, int]:
    counts = count_by(qs, "is_emergency")
    return {"emergency": counts.get(True, 0), "routine": counts.get(False, 0)}


def escalations(ctx: Context) -> Result:
    qs = ctx.counting.escalations().filter(ctx.period.q("raised_at"))
    total = qs.count()
    return Result(
        value=total,
        numerator=total,
        breakdowns={
            "level": rows(EscalationLevel.choices, count_by(qs, "level")),
            "emergency": rows(EMERGENCY_CHOICES, _emergency(qs)),
        },
        parts=[("escalations", total)],
    )


WAIT = F("acknowledged_at") - F("raised_at")


def acknowledgement_time(ctx: Context) -> Result:
    """Mean hours from raising an escalation to its acknowledgement, over the escalations raised
    in the period that are acknowledged; emergencies and routine handovers also apart."""
    raised = ctx.counting.escalations().filter(ctx.period.q("raised_at"))
    done = raised.filter(acknowledged_at__isnull=False)
    sums = {
        row["is_emergency"]: row
        for row in done.values("is_emergency")
        .annotate(n=Count("pk"), wait=Sum(WAIT, output_field=DurationField()))
        .order_by()
    }
    totals = done.aggregate(n=Count("pk"), wait=Sum(WAIT, output_field=DurationField()))
    count = totals["n"]
    waiting = raised.filter(acknowledged_at__isnull=True).count()
    by_kind = {"emergency": sums.get(True, {}), "routine": sums.get(False, {})}
    return Result(
        value=mean_hours(totals["wait"], count),
        numerator=total_hours(totals["wait"]),
        denominator=count,
        breakdowns={
            "emergency": rows(EMERGENCY_CHOICES, {k: v.get("n", 0) for k, v in by_kind.items()})
        },
        values_by={
            "emergency": [
                (key, label, mean_hours(by_kind[key].get("wait"), by_kind[key].get("n", 0)))
                for key, label in EMERGENCY_CHOICES
            ]
        },
        parts=[("acknowledged", count), ("waiting", waiting)],
    )


INDICATORS = [
    Indicator(
        "HL1",
        "Тусламжийн утасны холбоо барилт",
        "Helpline contacts",
        "Completed helpline contacts started in the period, by call type, channel and main "
        "category; and the children they are about by sex and age band (a contact about two "
        "children counts under each).",
        "completed contacts",
        "",
        "count",
        contacts,
        ("call_type", "channel", "category", "child_sex", "child_age_band"),
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
        "HL3",
        "Орон нутагт шилжүүлсэн дуудлага",
        "Escalations to local teams",
        "Helpline contacts handed to a local team in the period, by the level they reached "
        "(team, officer, helpline supervisor) and by emergency.",
        "escalations raised",
        "",
        "count",
        escalations,
        ("level", "emergency"),
    ),
    Indicator(
        "HL4",
        "Шилжүүлсэн дуудлагыг хүлээн авсан хугацаа (цаг)",
        "Time to acknowledge an escalation (hours)",
        "Mean hours from raising an escalation to its acknowledgement, for escalations raised in "
        "the period and acknowledged; emergencies and routine handovers also apart.",
        "hours from raising to acknowledgement, summed",
        "escalations acknowledged",
        "hours",
        acknowledgement_time,
        ("emergency",),
    ),
]
