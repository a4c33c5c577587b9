"""Indicator pages: the dashboard (national: per aimag; an aimag/district officer: by soum),
one indicator in detail with its charts and tables, the aimag map, and the exports. Aggregate
pages and exports show counts only; the personal exports are in `exports_views`."""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.audit.services import audit_record
from cpims.core.access import require_capability
from cpims.reports import snapshots
from cpims.reports.charts import TILES, bar_svg, tile_map_svg
from cpims.reports.exports import csv_response, xlsx_response
from cpims.reports.indicators import BY_CODE, CATALOGUE, Period, compute
from cpims.reports.models import ReferenceValue
from cpims.reports.selectors import (
    areas_of,
    place_for,
    reference_values_visible_to,
)
from cpims.reports.tables import area_table, by_area, display, headline_rows

AGGREGATE = "reports.aggregate"


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)
    place = forms.CharField(label=_("Place code"), required=False, max_length=16)


def period_of(request) -> tuple[PeriodForm, Period, str]:
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end, place = date(today.year, 1, 1), today, ""
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        place = form.cleaned_data["place"] or ""
    if end < start:
        start, end = end, start
    return form, Period(start, end), place


def _query(request) -> str:
    return request.GET.urlencode()


@require_capability(AGGREGATE)
def dashboard(request):
    form, period, code = period_of(request)
    place = place_for(request.user, code)
    kept, as_of = snapshots.headline_results(place, period)
    rows = []
    for indicator in CATALOGUE:
        result = kept.get(indicator.code) or compute(
            indicator.code, period=period, place=place, user=request.user
        )
        rows.append({"indicator": indicator, "result": result})
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        table = headline_rows([(r["indicator"], r["result"]) for r in rows])
        audit_record(
            actor=request.user,
            action="reports.aggregate_export",
            object_type="reports.Indicator",
            object_id="*",
            changes={"place": place.code, "format": fmt},
        )
        respond = csv_response if fmt == "csv" else xlsx_response
        header = ["code", "indicator", "value", "numerator", "denominator"]
        return respond(f"indicators-{place.code}-{period.start}-{period.end}.{fmt}", header, table)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "period": period,
            "place": place,
            "rows": rows,
            "areas": areas_of(place),
            "references": reference_values_visible_to(request.user),
            "query": _query(request),
            "as_of": as_of,
        },
    )


@require_capability(AGGREGATE)
def indicator_detail(request, code: str):
    indicator = BY_CODE.get(code)
    if indicator is None:
        raise Http404
    form, period, place_code = period_of(request)
    place = place_for(request.user, place_code)
    by = request.GET.get("by", "")
    if by and by not in indicator.disaggregations:
        by = ""
    table = area_table(code, period=period, place=place, user=request.user, by=by)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        filename = f"{code}-{place.code}-{period.start}-{period.end}{'-' + by if by else ''}.{fmt}"
        audit_record(
            actor=request.user,
            action="reports.aggregate_export",
            object_type="reports.Indicator",
            object_id=code,
            changes={"place": place.code, "by": by, "format": fmt},
        )
        respond = csv_response if fmt == "csv" else xlsx_response
        return respond(filename, table.header, table.rows)
    result = compute(code, period=period, place=place, user=request.user)
    areas = by_area(code, period=period, place=place, user=request.user)
    area_chart = bar_svg(indicator.name, [(a.name, r.value) for a, r in areas])
    breakdowns = [
        {"name": name, "rows": rows, "chart": bar_svg(name, [(label, n) for _k, label, n in rows])}
        for name, rows in result.breakdowns.items()
    ]
    references = reference_values_visible_to(request.user).filter(code__in=indicator.context_codes)
    return render(
        request,
        "reports/indicator.html",
        {
            "indicator": indicator,
            "form": form,
            "period": period,
            "place": place,
            "result": result,
            "areas": [(a, r) for a, r in areas],
            "area_chart": area_chart,
            "breakdowns": breakdowns,
            "table": table,
            "cells": [[display(v) for v in row] for row in table.rows],
            "by": by,
            "query": _query(request),
            "references": references,
        },
    )


@require_capability(AGGREGATE)
def aimag_map(request):
    form, period, _code = period_of(request)
    if request.user.scope.depth != 0:
        raise PermissionDenied
    code = request.GET.get("indicator", "CM1")
    indicator = BY_CODE.get(code) or BY_CODE["CM1"]
    place = place_for(request.user, "")
    areas, as_of = snapshots.by_area(indicator.code, period=period, place=place, user=request.user)
    values = {a.code: (a.name, r.value) for a, r in areas if a.code in TILES}
    return render(
        request,
        "reports/map.html",
        {
            "form": form,
            "indicator": indicator,
            "catalogue": CATALOGUE,
            "svg": tile_map_svg(indicator.name, values),
            "rows": [(c, *v) for c, v in sorted(values.items())],
            "query": _query(request),
            "as_of": as_of,
        },
    )


class ReferenceForm(forms.ModelForm):
    class Meta:
        model = ReferenceValue
        fields = ["code", "name_mn", "name_en", "value", "unit", "source", "year"]


@require_capability(AGGREGATE)
def reference_add(request):
    if request.user.scope.depth != 0:
        raise PermissionDenied
    form = ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.save(commit=False)
        reference.entered_by = request.user
        reference.save()
        audit_record(
            actor=request.user,
            action="reports.reference_added",
            object_type="reports.ReferenceValue",
            object_id=reference.pk,
            changes={"code": reference.code, "year": reference.year, "value": str(reference.value)},
        )
        return redirect("reports:dashboard")
    return render(request, "reports/reference_form.html", {"form": form})
