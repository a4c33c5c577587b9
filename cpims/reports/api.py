"""The indicator catalogue over the API: list it, compute one for a period and place.
Counts and rates only; the place must lie inside the caller's scope."""

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cpims.core.access import HasCapability
from cpims.reports.indicators import BY_CODE, CATALOGUE, Period, compute
from cpims.reports.selectors import place_for

INDICATORS = inline_serializer(
    "IndicatorDefinition",
    many=True,
    fields={
        "code": serializers.CharField(),
        "name_mn": serializers.CharField(),
        "name_en": serializers.CharField(),
        "definition": serializers.CharField(),
        "numerator": serializers.CharField(),
        "denominator": serializers.CharField(),
        "unit": serializers.CharField(),
        "disaggregations": serializers.ListField(child=serializers.CharField()),
    },
)

VALUE = inline_serializer(
    "IndicatorValue",
    {
        "code": serializers.CharField(),
        "place": serializers.CharField(),
        "start": serializers.DateField(),
        "end": serializers.DateField(),
        "value": serializers.CharField(allow_null=True),
        "numerator": serializers.CharField(allow_null=True),
        "denominator": serializers.CharField(allow_null=True),
        "breakdowns": serializers.DictField(
            child=serializers.ListField(
                child=inline_serializer(
                    "IndicatorBreakdownRow",
                    {
                        "key": serializers.CharField(),
                        "label": serializers.CharField(),
                        "count": serializers.IntegerField(),
                    },
                )
            )
        ),
        "values_by": serializers.DictField(
            child=serializers.ListField(
                child=inline_serializer(
                    "IndicatorValueByCategory",
                    {
                        "key": serializers.CharField(),
                        "label": serializers.CharField(),
                        "value": serializers.CharField(allow_null=True),
                    },
                )
            )
        ),
    },
)


def _definition(indicator) -> dict:
    return {
        "code": indicator.code,
        "name_mn": indicator.name_mn,
        "name_en": indicator.name_en,
        "definition": indicator.definition,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "unit": indicator.unit,
        "disaggregations": list(indicator.disaggregations),
    }


def _text(value):
    return None if value is None else str(value)


def _date(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValidationError({"date": "Use YYYY-MM-DD."}) from error


class IndicatorListView(APIView):
    permission_classes = [HasCapability]
    required_capability = "reports.aggregate"

    @extend_schema(responses=INDICATORS)
    def get(self, request):
        return Response([_definition(indicator) for indicator in CATALOGUE])


class IndicatorValueView(APIView):
    permission_classes = [HasCapability]
    required_capability = "reports.aggregate"

    @extend_schema(
        parameters=[
            OpenApiParameter("start", date),
            OpenApiParameter("end", date),
            OpenApiParameter("place", str, description="location code inside your scope"),
        ],
        responses=VALUE,
    )
    def get(self, request, code: str):
        if code not in BY_CODE:
            raise NotFound
        today = timezone.localdate()
        start = _date(request.query_params.get("start"), date(today.year, 1, 1))
        end = _date(request.query_params.get("end"), today)
        try:
            place = place_for(request.user, request.query_params.get("place"))
        except Exception as error:
            raise NotFound from error
        result = compute(code, period=Period(start, end), place=place, user=request.user)
        return Response(
            {
                "code": code,
                "place": place.code,
                "start": start,
                "end": end,
                "value": _text(result.value),
                "numerator": _text(result.numerator),
                "denominator": _text(result.denominator),
                "breakdowns": {
                    name: [{"key": k, "label": label, "count": n} for k, label, n in rows]
                    for name, rows in result.breakdowns.items()
                },
                # a rate or duration per category (e.g. hours to acceptance by service type)
                "values_by": {
                    name: [{"key": k, "label": label, "value": _text(v)} for k, label, v in rows]
                    for name, rows in result.values_by.items()
                },
            }
        )
