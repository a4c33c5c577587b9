"""Finance reports: the dashboard, the cost of services delivered and the financing gap.
Counts and money only — no names, no case numbers."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpims.accounts.models import Agency
from cpims.core.access import require_capability
from cpims.finance.charts import Chart
from cpims.finance.choices import Programme
from cpims.finance.costing import services_cost
from cpims.finance.forms import GapForm, PeriodForm, YearForm
from cpims.finance.gap import Period, financing_gap
from cpims.finance.indicators import area_names, dashboard
from cpims.finance.money import ZERO
from cpims.referrals.choices import ServiceType


def _scope_or_403(user):
    if not user.scope_id:
        raise PermissionDenied
    return user.scope


def _year(request) -> tuple[YearForm, int]:
    form = YearForm(request.GET or {"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    return form, year


def money_chart(title: str, rows: list[dict], *, with_cost: bool = True) -> Chart:
    series = [
        (_("Approved"), [r["approved"] for r in rows]),
        (_("Released"), [r["released"] for r in rows]),
        (_("Spent"), [r["spent"] for r in rows]),
    ]
    if with_cost:
        series.append((_("Cost of services"), [r["cost"] for r in rows]))
    return Chart(title=title, categories=[r["label"] for r in rows], series=series)


@require_capability("finance.view")
def dashboard_view(request):
    _scope_or_403(request.user)
    form, year = _year(request)
    data = dashboard(user=request.user, year=year)
    return render(
        request,
        "finance/dashboard.html",
        {
            "form": form,
            "data": data,
            "can_edit": request.user.has_capability("finance.edit"),
            "area_chart": money_chart(_("By area"), data["by_area"]),
            "programme_chart": money_chart(
                _("By programme and service level"), data["by_programme"]
            ),
        },
    )


@require_capability("finance.view")
def costs_view(request):
    scope = _scope_or_403(request.user)
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"date_from": date(today.year, 1, 1), "date_to": today})
    report, rows = None, {}
    if form.is_valid():
        report = services_cost(
            user=request.user,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            root_path=scope.path,
        )
        names = area_names(set(report.by_area) | {u.area for u in report.uncosted.values()})
        providers = {a.pk: a.name for a in Agency.objects.filter(pk__in=list(report.by_provider))}
        types = dict(ServiceType.choices)
        levels = dict(Programme.choices)
        rows = {
            "area": sorted(
                ((names.get(k, k), v) for k, v in report.by_area.items()), key=lambda r: r[0]
            ),
            "level": [(levels.get(k, k), v) for k, v in sorted(report.by_level.items())],
            "provider": sorted(
                ((providers.get(k, str(k)), v) for k, v in report.by_provider.items()),
                key=lambda r: -r[1],
            ),
            "month": sorted(report.by_month.items()),
            "type": [(types.get(k, k), v) for k, v in sorted(report.by_type.items())],
            "uncosted": [
                {
                    **u.__dict__,
                    "area_name": names.get(u.area, u.area),
                    "type": types.get(u.service_type),
                }
                for u in report.uncosted.values()
            ],
        }
    charts = []
    if report:
        for key, title in (("area", _("By area")), ("level", _("By service level"))):
            charts.append(
                Chart(
                    title=title,
                    categories=[label for label, _v in rows[key]],
                    series=[(_("Cost of services"), [v for _l, v in rows[key]])],
                )
            )
    return render(
        request,
        "finance/costs.html",
        {"form": form, "report": report, "rows": rows, "charts": charts},
    )


@require_capability("finance.view")
def gap_view(request):
    _scope_or_403(request.user)
    form = GapForm(request.GET or {"year": timezone.localdate().year, "q_from": 1, "q_to": 4})
    data, chart = None, None
    if form.is_valid():
        period = Period(
            year=form.cleaned_data["year"],
            q_from=form.cleaned_data["q_from"],
            q_to=form.cleaned_data["q_to"],
        )
        data = financing_gap(user=request.user, period=period)
        chart = Chart(
            title=_("Need and release by area"),
            categories=[r["area"] for r in data["rows"]],
            series=[
                (_("Cost of services delivered"), [r["delivered"] for r in data["rows"]]),
                (_("Cost of unmet referrals"), [r["unmet"] for r in data["rows"]]),
                (_("Released"), [r["released"] for r in data["rows"]]),
                (_("Gap"), [max(r["gap"], ZERO) for r in data["rows"]]),
            ],
        )
    return render(request, "finance/gap.html", {"form": form, "data": data, "chart": chart})
