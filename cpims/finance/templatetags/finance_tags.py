from decimal import Decimal

from django import template

from cpims.finance.charts import Chart, bar_svg
from cpims.finance.money import format_mnt

register = template.Library()


@register.filter
def mnt(value) -> str:
    """Whole tögrög, comma-grouped; — when unknown."""
    return format_mnt(value)


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def num(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,}"
    return f"{value:,}"


@register.simple_tag
def bar_chart(chart: Chart):
    return bar_svg(chart)
