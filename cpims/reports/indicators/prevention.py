"""Prevention and awareness: people reached, by audience group and topic."""

from django.db.models import F, Sum

from cpims.referrals.choices import Topic
from cpims.reports.indicators.base import Context, Indicator, Result, rows

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


def prevention_reached(ctx: Context) -> Result:
    qs = ctx.counting.activities().filter(ctx.period.q("held_on"))
    sums = qs.aggregate(**{name: Sum(name) for name, _ in AUDIENCE})
    audience = {name: sums[name] or 0 for name, _ in AUDIENCE}
    total = sum(audience.values())
    people = sum((F(name) for name, _ in AUDIENCE[1:]), F(AUDIENCE[0][0]))
    by_topic = {
        row["topic"]: row["n"] for row in qs.values("topic").annotate(n=Sum(people)).order_by()
    }
    return Result(
        value=total,
        numerator=total,
        breakdowns={
            "audience": rows(AUDIENCE, audience),
            "topic": rows(Topic.choices, by_topic),
        },
        parts=[("people", total)],
    )


INDICATORS = [
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
]
