"""Server-rendered SVG bar charts: no JavaScript, no CDN, nothing inline the CSP forbids (only
SVG presentation attributes). Every chart is also shown as a table next to it."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cpims.finance.money import ZERO, format_mnt

COLORS = ["#1f5fa8", "#7fb0e0", "#2e8b57", "#d98c1f", "#8e44ad"]
WIDTH = 760
LABEL_WIDTH = 180
VALUE_WIDTH = 110
BAR = 12
GAP = 14
LEGEND = 26


@dataclass
class Chart:
    title: str
    categories: list[str]
    series: list[tuple[str, list[Decimal | None]]] = field(default_factory=list)

    def rows(self) -> list[tuple[str, list[Decimal | None]]]:
        """The same data as a table: (category, one value per series)."""
        return [
            (category, [values[i] for _, values in self.series])
            for i, category in enumerate(self.categories)
        ]

    def names(self) -> list[str]:
        return [name for name, _ in self.series]


def _coord(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_svg(chart: Chart) -> SafeString:
    """Horizontal grouped bars: one group per category, one bar per series."""
    values = [v for _, vals in chart.series for v in vals if v is not None]
    top = max([ZERO, *values])
    plot = Decimal(WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    group = BAR * len(chart.series) + GAP
    height = LEGEND + group * len(chart.categories) + 4
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" '
            'viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>',
            WIDTH,
            height,
            chart.title,
            chart.title,
        )
    ]
    x = LABEL_WIDTH
    for index, (name, _values) in enumerate(chart.series):
        parts.append(
            format_html(
                '<rect x="{}" y="6" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="16" font-size="12">{}</text>',
                x,
                COLORS[index % len(COLORS)],
                x + 16,
                name,
            )
        )
        x += 24 + 7 * len(str(name))
    for row, category in enumerate(chart.categories):
        y0 = LEGEND + row * group
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                LABEL_WIDTH - 6,
                y0 + (group - GAP) // 2 + 4,
                _short(str(category)),
            )
        )
        for index, (name, vals) in enumerate(chart.series):
            value = vals[row]
            y = y0 + index * BAR
            if not value:  # unknown or zero: the table beside the chart shows it
                continue
            length = plot * value / top if top else ZERO
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {}</title></rect>"
                    '<text x="{}" y="{}" font-size="10">{}</text>',
                    LABEL_WIDTH,
                    y,
                    _coord(max(length, ZERO)),
                    BAR - 2,
                    COLORS[index % len(COLORS)],
                    f"{category} · {name}",
                    format_mnt(value),
                    _coord(LABEL_WIDTH + max(length, ZERO) + 4),
                    y + BAR - 3,
                    format_mnt(value),
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))
