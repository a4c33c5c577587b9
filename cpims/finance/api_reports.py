"""Finance reports over the API: the dashboard, the cost of services delivered and the gap.
Money is a decimal string in tögrög (never a float); counts only, no personal data."""

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from cpims.accounts.models import Agency
from cpims.core.access import HasCapability
from cpims.finance.choices import Programme
from cpims.finance.costing import services_cost
from cpims.finance.gap import Period, financing_gap
from cpims.finance.indicators import area_names, dashboard
from cpims.referrals.choices import ServiceType


def Money(**kw):
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kw)


def Pct(**kw):
    return serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True, **kw)


def _code(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


class AmountsSerializer(serializers.Serializer):
    label = serializers.CharField()
    code = serializers.CharField(required=False)
    approved = Money()
    released = Money()
    spent = Money()
    cost = Money(allow_null=True)
    execution_rate = Pct()
    release_rate = Pct()


class AreaAmountsSerializer(AmountsSerializer):
    children = serializers.IntegerField(allow_null=True)
    per_child = Money(allow_null=True)


class TotalsSerializer(AreaAmountsSerializer):
    cost_per_case = Money(allow_null=True)
    cost_per_child_served = Money(allow_null=True)
    cases_served = serializers.IntegerField()
    children_served = serializers.IntegerField()
    uncosted = serializers.IntegerField()
    stated_total = Money(allow_null=True)
    state_approved = Money()
    cp_share = serializers.DecimalField(max_digits=9, decimal_places=3, allow_null=True)


@extend_schema_serializer(many=False)  # one report, though served by `list`
class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    root = serializers.CharField(source="root.code")
    totals = TotalsSerializer()
    by_area = AreaAmountsSerializer(many=True)
    by_programme = AmountsSerializer(many=True)


def _int(value: str | None, default: int, low: int, high: int) -> int:
    if value and value.isdecimal() and low <= int(value) <= high:
        return int(value)
    return default


class FinanceReportViewSet(viewsets.ViewSet):
    permission_classes = [HasCapability]
    required_capability = "finance.view"

    def scope(self):
        from rest_framework.exceptions import PermissionDenied

        if not self.request.user.scope_id:
            raise PermissionDenied("no location scope")
        return self.request.user.scope


class DashboardViewSet(FinanceReportViewSet):
    """Approved vs released vs spent vs the cost of services, by area and programme, and the
    headline indicators, for a fiscal year (default: this year)."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=DashboardSerializer)
    def list(self, request):
        self.scope()
        year = _int(request.query_params.get("year"), timezone.localdate().year, 2000, 2100)
        return Response(DashboardSerializer(dashboard(user=request.user, year=year)).data)


class KeyAmountSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    cost = Money()


class UncostedSerializer(serializers.Serializer):
    service_type = serializers.CharField()
    unit = serializers.CharField()
    area = serializers.CharField()
    area_name = serializers.CharField()
    count = serializers.IntegerField()
    units = Money()
    first = serializers.DateField()
    last = serializers.DateField()


@extend_schema_serializer(many=False)  # one report, though served by `list`
class CostsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    total = Money()
    costed = serializers.IntegerField()
    uncosted_count = serializers.IntegerField()
    cases_served = serializers.IntegerField()
    children_served = serializers.IntegerField()
    cost_per_case = Money(allow_null=True)
    cost_per_child_served = Money(allow_null=True)
    by_area = KeyAmountSerializer(many=True)
    by_level = KeyAmountSerializer(many=True)
    by_provider = KeyAmountSerializer(many=True)
    by_month = KeyAmountSerializer(many=True)
    by_type = KeyAmountSerializer(many=True)
    uncosted = UncostedSerializer(many=True)


def _date(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


class CostsViewSet(FinanceReportViewSet):
    """The cost of services delivered between two dates: deliveries × the unit cost valid on
    the delivery date × the area multiplier; deliveries without a valid norm are `uncosted`."""

    @extend_schema(
        parameters=[OpenApiParameter("date_from", str), OpenApiParameter("date_to", str)],
        responses=CostsSerializer,
    )
    def list(self, request):
        from cpims.finance.money import per

        scope = self.scope()
        today = timezone.localdate()
        start = _date(request.query_params.get("date_from"), date(today.year, 1, 1))
        end = _date(request.query_params.get("date_to"), today)
        report = services_cost(
            user=request.user, date_from=start, date_to=end, root_path=scope.path
        )
        names = area_names(set(report.by_area) | {u.area for u in report.uncosted.values()})
        agencies = {a.pk: a.name for a in Agency.objects.filter(pk__in=list(report.by_provider))}

        def keyed(mapping, name_of):
            return [
                {"key": str(k), "name": name_of(k), "cost": v} for k, v in sorted(mapping.items())
            ]

        data = {
            "date_from": start,
            "date_to": end,
            "total": report.total,
            "costed": report.costed,
            "uncosted_count": report.uncosted_count,
            "cases_served": len(report.cases),
            "children_served": report.children,
            "cost_per_case": per(report.total, len(report.cases)),
            "cost_per_child_served": per(report.total, report.children),
            "by_area": [
                {"key": _code(k), "name": names.get(k, k), "cost": v}
                for k, v in sorted(report.by_area.items())
            ],
            "by_level": keyed(report.by_level, lambda k: str(Programme(k).label)),
            "by_provider": keyed(report.by_provider, lambda k: agencies.get(k, "")),
            "by_month": keyed(report.by_month, str),
            "by_type": keyed(report.by_type, lambda k: str(ServiceType(k).label)),
            "uncosted": [
                {**u.__dict__, "area": _code(u.area), "area_name": names.get(u.area, u.area)}
                for u in report.uncosted.values()
            ],
        }
        return Response(CostsSerializer(data).data)


class GapCellSerializer(serializers.Serializer):
    level = serializers.CharField(required=False)
    delivered = Money()
    unmet = Money()
    need = Money()
    released = Money()
    gap = Money()
    covered = Pct()


class GapAreaSerializer(GapCellSerializer):
    area = serializers.CharField()
    code = serializers.CharField()
    levels = GapCellSerializer(many=True)


@extend_schema_serializer(many=False)  # one report, though served by `list`
class GapSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    q_from = serializers.IntegerField()
    q_to = serializers.IntegerField()
    rows = GapAreaSerializer(many=True)
    by_level = GapCellSerializer(many=True)
    total = GapCellSerializer()
    uncosted_deliveries = serializers.IntegerField()
    uncosted_referrals = serializers.IntegerField()
    unmet_referrals = serializers.IntegerField()
    lines_without_quarters = serializers.IntegerField()


class GapViewSet(FinanceReportViewSet):
    """Gap = cost of services delivered + cost of referrals declined for lack of capacity −
    released budget, by area and service level, for quarters of a year (positive: missing)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("q_from", int),
            OpenApiParameter("q_to", int),
        ],
        responses=GapSerializer,
    )
    def list(self, request):
        self.scope()
        params = request.query_params
        q_from = _int(params.get("q_from"), 1, 1, 4)
        period = Period(
            year=_int(params.get("year"), timezone.localdate().year, 2000, 2100),
            q_from=q_from,
            q_to=max(q_from, _int(params.get("q_to"), 4, 1, 4)),
        )
        data = financing_gap(user=request.user, period=period)
        body = {
            **data,
            "year": period.year,
            "q_from": period.q_from,
            "q_to": period.q_to,
            "rows": [{**r, "code": _code(r["path"])} for r in data["rows"]],
            "lines_without_quarters": data["lines_without_quarters"]["lines"],
        }
        return Response(GapSerializer(body).data)
