"""Finance API: budget lines (with quarterly execution), unit costs, area multipliers, child
population and stated totals. Reads need `finance.view`, writes `finance.edit`; every write goes
through the audited service. No personal data: no user, case or child appears in any answer."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cpims.core.access import HasCapability, get_visible_or_404
from cpims.finance import services
from cpims.finance.models import AreaMultiplier, BudgetLine, BudgetTotal, ChildPopulation, UnitCost
from cpims.finance.selectors import (
    budget_lines_editable_by,
    budget_lines_visible_to,
    budget_totals_editable_by,
    budget_totals_visible_to,
    is_national,
    multipliers_editable_by,
    multipliers_visible_to,
    places_editable_by,
    populations_editable_by,
    populations_visible_to,
    unit_costs_editable_by,
    unit_costs_visible_to,
)
from cpims.geo.models import Location

WRITE = {m: "finance.edit" for m in ("POST", "PUT", "PATCH", "DELETE")}
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class PlaceField(serializers.SlugRelatedField):
    """A place by its code; writes accept only places the user may budget for."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Location.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Location.objects.none()
        return places_editable_by(request.user)


def api_errors(exc: DjangoValidationError) -> ApiValidationError:
    return ApiValidationError(getattr(exc, "message_dict", None) or {"detail": exc.messages})


class FinanceViewSet(viewsets.ModelViewSet):
    """Reads from the type's `visible` selector, writes to its `editable` one, saves through
    `save_service(actor, instance)` and deletes through `delete_service`."""

    permission_classes = [HasCapability]
    required_capability = "finance.view"
    required_capabilities = WRITE
    visible = editable = None
    save_service = delete_service = None
    national_writes = False

    def get_queryset(self):
        user = self.request.user
        if self.request.method in permissions.SAFE_METHODS:
            return self.visible(user)
        return self.editable(user)

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    def _check_national(self):
        if self.national_writes and not is_national(self.request.user):
            raise PermissionDenied("Only a national finance officer sets these.")

    def _save(self, serializer, instance):
        self._check_national()
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        try:
            serializer.instance = self.save_service(self.request.user, instance)
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc

    def perform_create(self, serializer):
        self._save(serializer, serializer.Meta.model())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        self._check_national()
        self.delete_service(self.request.user, instance)


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    released = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0)
    spent = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0)


class QuartersSerializer(serializers.Serializer):
    quarters = QuarterSerializer(many=True, help_text="Quarters not listed are removed.")


class BudgetLineSerializer(serializers.ModelSerializer):
    location = PlaceField()
    quarters = serializers.SerializerMethodField()

    class Meta:
        model = BudgetLine
        fields = ["id", "year", "source", "programme", "location", "approved", "released"]
        fields += ["spent", "notes", "quarters", "updated_at"]
        read_only_fields = ["updated_at"]

    @extend_schema_field(QuarterSerializer(many=True))
    def get_quarters(self, line) -> list[dict]:
        return QuarterSerializer(line.executions.all(), many=True).data


class BudgetLineViewSet(FinanceViewSet):
    """Budget lines in the user's scope. `quarters` sets the quarterly execution (released and
    spent of the line become their sums)."""

    serializer_class = BudgetLineSerializer
    queryset = BudgetLine.objects.none()
    visible = staticmethod(budget_lines_visible_to)
    editable = staticmethod(budget_lines_editable_by)
    save_service = staticmethod(lambda actor, obj: services.budget_line_save(actor=actor, line=obj))
    delete_service = staticmethod(
        lambda actor, obj: services.budget_line_delete(actor=actor, line=obj)
    )

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("programme", str),
            OpenApiParameter("source", str),
            OpenApiParameter("place", str, description="a location code"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        params = self.request.query_params
        year = params.get("year", "")
        if year.isdecimal() and len(year) <= 4:  # not '²', and no integer the column overflows
            queryset = queryset.filter(year=int(year))
        for name in ("programme", "source"):
            if params.get(name):
                queryset = queryset.filter(**{name: params[name]})
        if params.get("place"):
            queryset = queryset.filter(location__code=params["place"])
        return queryset.prefetch_related("executions")

    @extend_schema(request=QuartersSerializer, responses={200: BudgetLineSerializer})
    @action(detail=True, methods=["put"])
    def quarters(self, request, pk=None):
        body = QuartersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = {q["quarter"]: (q["released"], q["spent"]) for q in body.validated_data["quarters"]}
        try:
            line = services.budget_quarters_set(
                actor=request.user,
                line=self.get_object(),
                quarters={q: given.get(q) for q in (1, 2, 3, 4)},
            )
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc
        return Response(self.get_serializer(line).data)


class UnitCostSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitCost
        fields = ["id", "service_type", "unit", "amount", "valid_from", "valid_to"]
        fields += ["referral_units", "notes"]


class UnitCostViewSet(FinanceViewSet):
    """Unit-cost norms (national). Overlapping validity for the same type and unit → 400."""

    serializer_class = UnitCostSerializer
    queryset = UnitCost.objects.none()
    visible = staticmethod(unit_costs_visible_to)
    editable = staticmethod(unit_costs_editable_by)
    national_writes = True
    save_service = staticmethod(lambda actor, obj: services.unit_cost_save(actor=actor, norm=obj))
    delete_service = staticmethod(
        lambda actor, obj: services.unit_cost_delete(actor=actor, norm=obj)
    )


class MultiplierSerializer(serializers.ModelSerializer):
    location = PlaceField()

    class Meta:
        model = AreaMultiplier
        fields = ["id", "location", "service_type", "factor", "valid_from", "valid_to", "notes"]


class MultiplierViewSet(FinanceViewSet):
    serializer_class = MultiplierSerializer
    queryset = AreaMultiplier.objects.none()
    visible = staticmethod(multipliers_visible_to)
    editable = staticmethod(multipliers_editable_by)
    save_service = staticmethod(lambda actor, obj: services.multiplier_save(actor=actor, item=obj))
    delete_service = staticmethod(
        lambda actor, obj: services.multiplier_delete(actor=actor, item=obj)
    )


class PopulationSerializer(serializers.ModelSerializer):
    location = PlaceField()

    class Meta:
        model = ChildPopulation
        fields = ["id", "location", "year", "children", "source"]


class PopulationViewSet(FinanceViewSet):
    serializer_class = PopulationSerializer
    queryset = ChildPopulation.objects.none()
    visible = staticmethod(populations_visible_to)
    editable = staticmethod(populations_editable_by)
    save_service = staticmethod(
        lambda actor, obj: services.population_save(actor=actor, population=obj)
    )
    delete_service = staticmethod(
        lambda actor, obj: services.population_delete(actor=actor, population=obj)
    )


class BudgetTotalSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetTotal
        fields = ["id", "year", "amount", "source"]


class BudgetTotalViewSet(FinanceViewSet):
    """The stated total state budget per year (national), for the child-protection share."""

    serializer_class = BudgetTotalSerializer
    queryset = BudgetTotal.objects.none()
    visible = staticmethod(budget_totals_visible_to)
    editable = staticmethod(budget_totals_editable_by)
    national_writes = True
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    save_service = staticmethod(
        lambda actor, obj: services.budget_total_save(actor=actor, total=obj)
    )


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["budget", "population", "unit-costs"])
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX; see docs/finance.md")


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="0: the request itself (its kind or file)")
    reason = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


def _refused(errors: dict) -> Response:
    """An unusable request answers in the shape of bad rows (line 0), so a 400 has one shape."""
    rows = [
        {"line": 0, "reason": f"{field}: {' '.join(str(m) for m in messages)}"}
        for field, messages in errors.items()
    ]
    empty = {"ok": False, "created": 0, "updated": 0, "unchanged": 0, "warnings": []}
    return Response({**empty, "errors": rows}, status=400)


class ImportViewSet(viewsets.ViewSet):
    """Import budget lines, child population or unit costs from a file. Every row is checked
    first; if any is bad nothing is imported and the answer (400) lists each bad row's line and
    reason."""

    permission_classes = [HasCapability]
    required_capability = "finance.edit"
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportResultSerializer, 400: ImportResultSerializer},
    )
    def create(self, request):
        from cpims.finance.imports import budget_import
        from cpims.finance.imports_reference import population_import, unit_costs_import

        body = ImportRequestSerializer(data=request.data)
        if not body.is_valid():
            return _refused(body.errors)
        kind, upload = body.validated_data["kind"], body.validated_data["file"]
        if kind == "unit-costs" and not is_national(request.user):
            raise PermissionDenied("Only a national finance officer sets unit costs.")
        if upload.size > MAX_IMPORT_BYTES:
            return _refused({"file": ["The file is larger than 10 MB."]})
        run = {"budget": budget_import, "population": population_import}.get(
            kind, unit_costs_import
        )
        result = run(actor=request.user, name=upload.name, content=upload.read())
        data = ImportResultSerializer({**result.__dict__, "ok": result.ok}).data
        return Response(data, status=200 if result.ok else 400)
