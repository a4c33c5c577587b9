"""Trends on the dashboards: cases opened and helpline contacts per month over the last twelve
months, counted in the database by month, drawn as server-rendered SVG columns next to a table
with the same numbers (and a CSV of it).

Readers who can see the records (`cases.view`, helpline staff) count through the selectors and
see exact figures; aggregate readers count the places of their scope (`Counting`) and get the
months suppressed like any aggregate table."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from cpims.cases.selectors import cases_visible_to
from cpims.helpline.choices import Status as ContactStatus
from cpims.helpline.selectors import contacts_visible_to, is_helpline_staff
from cpims.reports.dashboards import list_url
from cpims.reports.selectors import Counting, can_aggregate
from cpims.reports.snapshots import payload, trend_code
from cpims.reports.suppression import suppress
from cpims.reports.tables import SUPPRESSED, threshold

MONTHS = 12
SERIES = {"cases": _("Cases opened per month"), "contacts": _("Helpline contacts per month")}


@dataclass
class Trend:
    key: str
    title: str
    months: list[tuple[date, int | str, str | None]]  # (month, count or SUPPRESSED, its list)
    total: int | str
    suppressed: bool  # aggregate reader: small cells hidden
    as_of: datetime | None = None  # read from a snapshot computed then

    @property
    def chart(self) -> SafeString:
        return columns_svg(str(self.title), [(m.strftime("%Y-%m"), v) for m, v, _u in self.months])


def month_starts(today: date | None = None) -> list[date]:
    today = today or timezone.localdate()
    year, month = today.year, today.month
    starts = []
    for _i in range(MONTHS):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def per_month(qs: QuerySet, field: str, months: list[date]) -> list[int]:
    """Counts per local calendar month, grouped in the database."""
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(months[0], datetime.min.time()))
    rows = (
        qs.filter(**{f"{field}__gte": since})
        .order_by()
        .annotate(month=TruncMonth(field, tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts: dict[date, int] = {}
    for row in rows:
        value = row["month"]
        if isinstance(value, datetime):
            value = (
                timezone.localtime(value, tz).date() if timezone.is_aware(value) else value.date()
            )
        counts[value.replace(day=1)] = counts.get(value.replace(day=1), 0) + row["n"]
    return [counts.get(m, 0) for m in months]


def month_end(start: date) -> date:
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_url(user, key: str, start: date, suppressed: bool) -> str | None:
    """The list behind one month: the case or contact list filtered to the month for readers
    of the records; the indicator (CM1, HL1) for the month for aggregate readers."""
    end = month_end(start)
    if suppressed:
        code = "CM1" if key == "cases" else "HL1"
        return list_url(
            user, "reports:indicator", args=[code], start=start.isoformat(), end=end.isoformat()
        )
    if key == "cases":
        return list_url(user, "cases:list", opened_from=start, opened_to=end)
    return list_url(
        user, "helpline:contact_list", status="completed", started_from=start, started_to=end
    )


def _sources(user, visible=None) -> dict[str, tuple[QuerySet, str, bool]]:
    """Each series the reader may see: (queryset, date field, suppressed). `visible`: the
    reader's `cases_visible_to(user)` when the page has it already."""
    sources = {}
    place = user.scope if can_aggregate(user) else None
    if user.has_capability("cases.view"):
        cases = cases_visible_to(user) if visible is None else visible
        sources["cases"] = (cases, "opened_at", False)
    elif place is not None:
        sources["cases"] = (*aggregate_source(place, "cases"), True)
    if is_helpline_staff(user):
        completed = contacts_visible_to(user).filter(status=ContactStatus.COMPLETED)
        sources["contacts"] = (completed, "started_at", False)
    elif place is not None:
        sources["contacts"] = (*aggregate_source(place, "contacts"), True)
    return sources


def aggregate_source(place, key: str) -> tuple[QuerySet, str]:
    """What an aggregate reader's series counts: the place's records, whoever reads them."""
    if key == "cases":
        return Counting(place).cases(), "opened_at"
    return Counting(place).contacts(), "started_at"


def _counts(user, key: str, qs, field: str, suppressed: bool, months) -> tuple[list, object]:
    """An aggregate series from its snapshot when one covers these months; else counted."""
    if suppressed:
        kept = payload(user.scope, months[0], month_end(months[-1]), trend_code(key))
        if kept is not None:
            return list(kept[0]), kept[1]
    return per_month(qs, field, months), None


def trends_for(user, only: str = "", *, visible=None) -> list[Trend]:
    months = month_starts()
    trends = []
    for key, (qs, field, suppressed) in _sources(user, visible).items():
        if only and key != only:
            continue
        counts, as_of = _counts(user, key, qs, field, suppressed, months)
        values: list[int | str] = list(counts)
        total: int | str = sum(counts)
        if suppressed:
            shown = suppress([counts], threshold())
            values = [SUPPRESSED if v is None else v for v in shown.cells[0]]
            total = SUPPRESSED if shown.total is None else shown.total
        rows = [
            (month, value, None if value == SUPPRESSED else month_url(user, key, month, suppressed))
            for month, value in zip(months, values, strict=True)
        ]
        trends.append(Trend(key, SERIES[key], rows, total, suppressed, as_of))
    return trends


WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 760, 220, 20, 40, 10
COLOR = "#1f5fa8"


def columns_svg(title: str, rows: list[tuple[str, int | str]]) -> SafeString:
    """One column per month; a suppressed month draws no column and reads "<5"."""
    known = [v for _label, v in rows if isinstance(v, int)]
    top = max([1, *known])
    slot = (WIDTH - 2 * LEFT) // max(len(rows), 1)
    plot = HEIGHT - TOP - BOTTOM
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" width="100%" '
            'viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555"/>',
            WIDTH,
            HEIGHT,
            title,
            title,
            LEFT,
            TOP + plot,
            WIDTH - LEFT,
            TOP + plot,
        )
    ]
    for i, (label, value) in enumerate(rows):
        x = LEFT + i * slot
        height = int(plot * value / top) if isinstance(value, int) else 0
        parts.append(
            format_html(
                '<g data-month="{}"><rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text></g>',
                label,
                x + 6,
                TOP + plot - height,
                slot - 12,
                height,
                COLOR,
                label,
                value,
                x + slot // 2,
                TOP + plot - height - 4,
                value,
                x + slot // 2,
                HEIGHT - BOTTOM + 16,
                label,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))
