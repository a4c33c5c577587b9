"""My dashboard: the sections a reader's capabilities call for (not their role's name), with
monthly trends; and the trends as CSV."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from cpims.audit.services import audit_record
from cpims.cases.selectors import case_visibility
from cpims.reports.dashboard_areas import area_section, national_section
from cpims.reports.dashboard_trends import trends_for
from cpims.reports.dashboards import (
    counsellor_section,
    list_url,
    overdue_by_location,
    supervisor_section,
    worker_section,
)
from cpims.reports.exports import csv_response
from cpims.reports.selectors import can_aggregate
from cpims.reports.views import period_of


def sections_for(user, period, visibility=None) -> dict:
    """Which sections a reader gets, by capability:
    - `helpline.contact`: their contacts today, callbacks due, their escalations;
    - `cases.edit`: their tasks by urgency, caseload by risk and stage, referrals waiting;
    - `cases.approve`: the team's caseload per worker, overdue steps, approvals, high-risk
      cases without an approved plan;
    - `cases.view_area` with a scope: their area by soum/khoroo (records they may see);
    - `reports.aggregate` without `cases.view_area`: the areas of their scope, aggregate and
      suppressed (the national analyst);
    - links to the finance dashboard (`finance.view`) and the helpline board.
    The reader's visible cases (`case_visibility`) are looked up once for every section."""
    has = user.has_capability
    if visibility is None:
        visibility = case_visibility(user)
    visible = visibility.cases()
    area = has("cases.view_area") and user.scope_id
    overdue = overdue_by_location(visibility) if has("cases.approve") or area else {}
    sections: dict = {}
    if has("helpline.contact"):
        sections["counsellor"] = counsellor_section(user)
    if has("cases.edit"):
        sections["worker"] = worker_section(user, visible)
    if has("cases.approve"):
        sections["supervisor"] = supervisor_section(user, visible, overdue)
    if area:
        sections["area"] = area_section(user, period, visibility, overdue)
    elif can_aggregate(user):
        sections["national"] = national_section(user, user.scope, period)
    links = [
        (label, url)
        for label, url in [
            ("finance", list_url(user, "finance:dashboard")),
            ("board", list_url(user, "helpline:board")),
            ("indicators", list_url(user, "reports:dashboard")),
            ("map", list_url(user, "reports:map") if _national(user) else None),
        ]
        if url
    ]
    sections["links"] = links
    return sections


def _national(user) -> bool:
    return can_aggregate(user) and user.scope.depth == 0


@login_required
def my_dashboard(request):
    form, period, _code = period_of(request)
    visibility = case_visibility(request.user)  # one visibility lookup for the whole page
    sections = sections_for(request.user, period, visibility)
    return render(
        request,
        "reports/dashboards/my.html",
        {
            "form": form,
            "period": period,
            "sections": sections,
            "trends": trends_for(request.user, visible=visibility.cases()),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def trend_csv(request, series: str):
    trends = trends_for(request.user, only=series)
    if not trends:
        raise Http404
    trend = trends[0]
    audit_record(
        actor=request.user,
        action="reports.aggregate_export",
        object_type="reports.Trend",
        object_id=series,
        changes={"format": "csv", "suppressed": trend.suppressed},
    )
    rows = [[month.strftime("%Y-%m"), value] for month, value, _url in trend.months]
    rows.append(["total", trend.total])
    return csv_response(f"trend-{series}.csv", ["month", series], rows)
