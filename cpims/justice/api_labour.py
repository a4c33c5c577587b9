"""Inspections and the aggregate reports in the API."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cpims.core.access import HasCapability, get_visible_or_404
from cpims.geo.models import Location
from cpims.justice import labour
from cpims.justice.choices import InspectionKind
from cpims.justice.models import Inspection, InspectionChild
from cpims.justice.reports import (
    JOCKEY_COLUMNS,
    SECTOR_COLUMNS,
    jockey_report,
    parse_year,
    sector_counts,
)
from cpims.justice.selectors import (
    found_children_visible_to,
    inspections_editable_by,
    inspections_visible_to,
)
from cpims.registry.selectors import persons_visible_to
from cpims.registry.services import PossibleDuplicate


class InspectionSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="code", queryset=Location.objects.all())
    ages = serializers.ListField(
        child=serializers.IntegerField(min_value=3, max_value=17), required=False
    )
    compliant = serializers.BooleanField(read_only=True)

    class Meta:
        model = Inspection
        exclude = ["recorded_by"]
        read_only_fields = [
            "season",
            "min_age",
            "under_min_age",
            "restricted_period",
            "season_violations",
            "recorded_at",
        ]


class FoundChildSerializer(serializers.ModelSerializer):
    home = serializers.SlugRelatedField(
        slug_field="code", queryset=Location.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = InspectionChild
        exclude = ["recorded_by"]
        read_only_fields = ["person", "case"]


class OpenCaseSerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False)
    confirmed_new = serializers.BooleanField(default=False)


def _api_error(exc: ValidationError):
    return ApiValidationError(getattr(exc, "message_dict", {"detail": exc.messages}))


class InspectionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Inspections of horse races and workplaces inside the user's scope. Compliance columns
    are computed by the server from the rules in force."""

    serializer_class = InspectionSerializer
    lookup_value_regex = r"\d+"
    queryset = Inspection.objects.none()
    permission_classes = [HasCapability]
    required_capabilities = {"POST": "cases.edit", "PUT": "cases.edit", "PATCH": "cases.edit"}
    http_method_names = ["get", "post", "put", "head", "options"]

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("kind", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        if self.request.method == "GET":
            qs = inspections_visible_to(user)
        else:
            qs = inspections_editable_by(user)
        params = self.request.query_params
        if parse_year(params.get("year")):
            qs = qs.filter(held_on__year=parse_year(params.get("year")))
        if params.get("kind") in InspectionKind.values:
            qs = qs.filter(kind=params["kind"])
        return qs.order_by("-held_on", "-pk")

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    def _save(self, serializer, inspection=None):
        data = dict(serializer.validated_data)
        user = self.request.user
        if not user.scope or not user.scope.contains(data["location"]):
            raise ApiValidationError({"location": "outside your scope"})
        try:
            return labour.inspection_save(
                actor=user, data=labour.InspectionInput(**data), inspection=inspection
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = self._save(serializer)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        inspection = self.get_object()
        serializer = self.get_serializer(inspection, data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(self.get_serializer(self._save(serializer, inspection)).data)


class FoundChildViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Children found injured at inspections (personal data: registry readers). `open-case`
    turns one into a high-risk case; 409 with the likely matches when the registry may already
    hold the child."""

    serializer_class = FoundChildSerializer
    lookup_value_regex = r"\d+"
    queryset = InspectionChild.objects.none()
    permission_classes = [HasCapability]
    required_capabilities = {"GET": "registry.view", "POST": "cases.edit"}

    def get_queryset(self):
        return found_children_visible_to(self.request.user).order_by("pk")

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        inspection = data.pop("inspection")
        if not inspections_editable_by(request.user).filter(pk=inspection.pk).exists():
            raise PermissionDenied("this inspection is outside your reach")
        data.pop("person", None), data.pop("case", None)
        try:
            found = labour.found_child_add(actor=request.user, inspection=inspection, **data)
        except ValidationError as exc:
            raise _api_error(exc) from exc
        return Response(self.get_serializer(found).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=OpenCaseSerializer,
        responses={
            201: inline_serializer("OpenedCase", {"case": serializers.IntegerField()}),
            409: inline_serializer(
                "LikelyMatches",
                {
                    "detail": serializers.CharField(),
                    "candidates": serializers.ListField(child=serializers.IntegerField()),
                    "hidden": serializers.IntegerField(),
                },
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, pk=None):
        if not request.user.has_capability("registry.edit"):
            raise PermissionDenied("registering the child needs registry.edit")
        found = self.get_object()
        if not inspections_editable_by(request.user).filter(pk=found.inspection_id).exists():
            raise PermissionDenied("this inspection is outside your reach")
        body = OpenCaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = None
        if body.validated_data.get("person"):
            person = get_visible_or_404(
                persons_visible_to(request.user),
                pk=body.validated_data["person"],
                user=request.user,
            )
        try:
            case = labour.found_child_open_case(
                actor=request.user,
                found=found,
                person=person,
                confirmed_new=body.validated_data["confirmed_new"],
            )
        except PossibleDuplicate as dup:
            return Response(
                {
                    "detail": "the registry may already hold this child",
                    "candidates": [c.person.pk for c in dup.candidates.visible],
                    "hidden": dup.candidates.hidden_count,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc
        return Response({"case": case.pk}, status=status.HTTP_201_CREATED)


def _row_serializer(name: str, columns, extra: dict):
    fields = {key: serializers.FloatField(allow_null=True) for key, _label in columns}
    return inline_serializer(name, {**extra, **fields}, many=True)


class JockeyReportView(APIView):
    """Child jockeys by aimag and season for a year: children riding, injuries per 1,000 rides,
    compliance rates (aggregate readers)."""

    permission_classes = [HasCapability]
    required_capability = "reports.aggregate"

    @extend_schema(
        parameters=[OpenApiParameter("year", int)],
        responses=_row_serializer(
            "JockeyReportRow",
            [c for c in JOCKEY_COLUMNS if not c[0].endswith("_name")],
            {"aimag": serializers.CharField(), "season": serializers.CharField()},
        ),
    )
    def get(self, request):
        year = parse_year(request.query_params.get("year")) or timezone.localdate().year
        report = jockey_report(inspections_visible_to(request.user), year=year)
        rows = [{k: v for k, v in row.items() if k != "group"} for row in report["rows"]]
        return Response(rows)


class SectorCountsView(APIView):
    """Justice and domestic-violence counts by aimag (counts only)."""

    permission_classes = [HasCapability]
    required_capability = "reports.aggregate"

    @extend_schema(
        parameters=[OpenApiParameter("year", int)],
        responses=_row_serializer(
            "JusticeCountsRow", SECTOR_COLUMNS, {"aimag": serializers.CharField()}
        ),
    )
    def get(self, request):
        rows = sector_counts(request.user, year=parse_year(request.query_params.get("year")))
        return Response(rows)
