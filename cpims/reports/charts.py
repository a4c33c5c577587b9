"""Server-rendered SVG for the indicator pages: bar charts and a tile-grid map of the aimags.
No JavaScript, no CDN, only SVG presentation attributes (the CSP forbids inline styles).
Every picture is shown next to a table with the same numbers."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 760
LABEL = 200
BAR = 16
GAP = 6
COLOR = "#1f5fa8"

# A fixed tile (column, row) per aimag NSO code, roughly following geography: west to east,
# north to south. Ulaanbaatar (11) sits between Töv and Selenge.
TILES: dict[str, tuple[int, int]] = {
    "85": (1, 0),  # Uvs
    "83": (0, 1),  # Bayan-Ölgii
    "84": (1, 1),  # Khovd
    "81": (2, 1),  # Zavkhan
    "67": (3, 0),  # Khövsgöl
    "63": (4, 0),  # Bulgan
    "43": (5, 0),  # Selenge
    "45": (6, 0),  # Darkhan-Uul
    "82": (1, 2),  # Govi-Altai
    "65": (3, 1),  # Arkhangai
    "61": (4, 1),  # Orkhon
    "11": (5, 1),  # Ulaanbaatar
    "23": (6, 1),  # Khentii
    "21": (7, 1),  # Dornod
    "64": (2, 2),  # Bayankhongor
    "62": (3, 2),  # Övörkhangai
    "41": (4, 2),  # Töv
    "42": (5, 2),  # Govisümber
    "22": (7, 2),  # Sükhbaatar
    "48": (4, 3),  # Dundgovi
    "46": (3, 3),  # Ömnögovi
    "44": (5, 3),  # Dornogovi
}
SHADES = ["#eef4fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c"]
NO_DATA = "#dddddd"


def _fmt(value) -> str:
    if value is None:
        return "–"
    return f"{value:,}".replace(",", " ") if isinstance(value, int) else str(value)


def bar_svg(title: str, rows: list[tuple[str, Decimal | int | None]]) -> SafeString:
    """Horizontal bars, one per (label, value); an unknown value draws no bar."""
    top = max([Decimal(0), *[Decimal(v) for _, v in rows if v is not None]])
    plot = WIDTH - LABEL - 80
    height = len(rows) * (BAR + GAP) + 8
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" '
            'viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>',
            WIDTH,
            height,
            title,
            title,
        )
    ]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * (BAR + GAP)
        length = int(plot * Decimal(value) / top) if value and top else 0
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" font-size="11">{}</text>',
                LABEL - 6,
                y + BAR - 4,
                label[:30],
                LABEL,
                y,
                length,
                BAR,
                COLOR,
                label,
                _fmt(value),
                LABEL + length + 4,
                y + BAR - 4,
                _fmt(value),
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def shade(value, values: list) -> str:
    known = sorted(Decimal(v) for v in values if v is not None)
    if value is None or not known:
        return NO_DATA
    low, high = known[0], known[-1]
    if high == low:
        return SHADES[2]
    step = (Decimal(value) - low) / (high - low)
    return SHADES[min(int(step * len(SHADES)), len(SHADES) - 1)]


def tile_map_svg(title: str, values: dict[str, tuple[str, Decimal | int | None]]) -> SafeString:
    """The 22 aimags as tiles at fixed positions, coloured by value (code → (name, value))."""
    size, pad = 92, 4
    width = 8 * size
    height = 4 * size + 30
    all_values = [value for _name, value in values.values()]
    tiles = []
    for code, (col, row) in sorted(TILES.items()):
        name, value = values.get(code, (code, None))
        x, y = col * size, row * size
        tiles.append(
            (
                x + pad,
                y + pad,
                size - 2 * pad,
                size - 2 * pad,
                shade(value, all_values),
                code,
                name,
                _fmt(value),
                x + size // 2,
                y + size // 2 - 4,
                name[:12],
                x + size // 2,
                y + size // 2 + 14,
                _fmt(value),
            )
        )
    body = format_html_join(
        "",
        '<g data-aimag="{5}"><rect x="{0}" y="{1}" width="{2}" height="{3}" fill="{4}" '
        'stroke="#555"><title>{6}: {7}</title></rect>'
        '<text x="{8}" y="{9}" font-size="11" text-anchor="middle">{10}</text>'
        '<text x="{11}" y="{12}" font-size="13" font-weight="bold" text-anchor="middle">{13}'
        "</text></g>",
        tiles,
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="18" height="12" fill="{}"/>',
        [(10 + i * 22, 4 * size + 10, color) for i, color in enumerate(SHADES)],
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart map" width="100%" '
        'viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}{}'
        '<text x="130" y="{}" font-size="11">low → high; grey: no data</text></svg>',
        width,
        height,
        title,
        title,
        body,
        legend,
        4 * size + 21,
    )
