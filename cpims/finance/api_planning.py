"""Costing scenarios and allocation proposals over the API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from cpims.core.access import HasCapability, get_visible_or_404
from cpims.finance import allocation as alloc
from cpims.finance import scenario_report as report
from cpims.finance import scenarios as svc
from cpims.finance.api import WRITE, PlaceField, api_errors
from cpims.finance.api_reports import Money
from cpims.finance.models import (
    AllocationProposal,
    AllocationShare,
    Scenario,
    ScenarioArea,
    ScenarioMix,
)
from cpims.finance.selectors import (
    allocations_editable_by,
    allocations_visible_to,
    scenarios_editable_by,
    scenarios_visible_to,
)


class ScenarioAreaSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ScenarioArea
        fields = ["location", "children", "growth", "cases_per_1000", "multiplier"]


class ScenarioMixSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScenarioMix
        fields = ["service_type", "level", "units_per_case", "unit_cost"]
        read_only_fields = ["level"]


class ScenarioSerializer(serializers.ModelSerializer):
    parent = PlaceField()
    areas = ScenarioAreaSerializer(many=True, required=False)
    mix = ScenarioMixSerializer(many=True, required=False)
    copy_from = serializers.IntegerField(
        write_only=True, required=False, help_text="Copy the areas and mix of this scenario."
    )

    class Meta:
        model = Scenario
        fields = [
            "id",
            "name",
            "description",
            "parent",
            "start_year",
            "horizon",
            "inflation",
            "cases_per_worker",
            "workers_per_supervisor",
            "worker_salary",
            "supervisor_salary",
            "areas",
            "mix",
            "copy_from",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class YearRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    children = serializers.IntegerField()
    cases = serializers.IntegerField()
    workers = serializers.IntegerField()
    supervisors = serializers.IntegerField()
    levels = serializers.ListField(
        child=Money(), help_text="emergency, protection, rehabilitation, prevention, workforce"
    )
    required = Money()
    allocated = Money()
    gap = Money()


class AreaRowSerializer(YearRowSerializer):
    area = serializers.CharField()
    name = serializers.CharField()


class LineSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    area = serializers.CharField()
    level = serializers.CharField()
    required = Money()
    allocated = Money()
    gap = Money()


class ResultsSerializer(serializers.Serializer):
    carried_forward = serializers.ListField(child=serializers.IntegerField())
    by_year = YearRowSerializer(many=True)
    by_year_area = AreaRowSerializer(many=True)
    lines = LineSerializer(many=True)


class ScenarioViewSet(viewsets.ModelViewSet):
    """Costing scenarios. Creating one fills its areas and service mix from the data (or copies
    `copy_from`); `PATCH` may carry `areas` (by location code) and `mix` (by service type).
    `results` runs the scenario: caseload, staff, required budget, allocation and gap."""

    serializer_class = ScenarioSerializer
    queryset = Scenario.objects.none()
    permission_classes = [HasCapability]
    required_capability = "finance.view"
    required_capabilities = WRITE

    def get_queryset(self):
        user = self.request.user
        if self.request.method in permissions.SAFE_METHODS:
            return scenarios_visible_to(user).prefetch_related("areas__location", "mix")
        return scenarios_editable_by(user)

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("areas", None), data.pop("mix", None)
        copy_id = data.pop("copy_from", None)
        copy = (
            get_visible_or_404(
                scenarios_visible_to(self.request.user), pk=copy_id, user=self.request.user
            )
            if copy_id
            else None
        )
        try:
            serializer.instance = svc.scenario_create(
                actor=self.request.user, scenario=Scenario(**data), copy_from=copy
            )
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        scenario = serializer.instance
        areas = {a.location.code: a for a in scenario.areas.select_related("location")}
        mix = {m.service_type: m for m in scenario.mix.all()}
        changed_areas, changed_mix = [], []
        area_rows = self.request.data.get("areas", []) if "areas" in data else []
        for row in area_rows:
            area = areas.get(str(row.get("location")))
            if area is None:
                raise ApiValidationError({"areas": f"unknown area {row.get('location')!r}"})
            body = ScenarioAreaSerializer(area, data=row, partial=True)
            body.is_valid(raise_exception=True)
            for name, value in body.validated_data.items():
                setattr(area, name, value)
            changed_areas.append(area)
        for row in data.pop("mix", []):
            item = mix.get(row.get("service_type"))
            if item is None:
                raise ApiValidationError(
                    {"mix": f"unknown service type {row.get('service_type')!r}"}
                )
            for name in ("units_per_case", "unit_cost"):
                if name in row:
                    setattr(item, name, row[name])
            changed_mix.append(item)
        data.pop("areas", None), data.pop("copy_from", None), data.pop("parent", None)
        for name, value in data.items():
            setattr(scenario, name, value)
        try:
            svc.scenario_update(
                actor=self.request.user, scenario=scenario, areas=changed_areas, mix=changed_mix
            )
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc

    def perform_destroy(self, instance):
        svc.scenario_delete(actor=self.request.user, scenario=instance)

    @extend_schema(responses=ResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        run = svc.scenario_run(user=request.user, scenario=self.get_object())
        data = {
            "carried_forward": run["carried"],
            "by_year": report.by_year(run),
            "by_year_area": report.by_year_area(run),
            "lines": report.lines(run),
        }
        return Response(ResultsSerializer(data).data)


class ShareSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AllocationShare
        fields = ["location", "cases", "weight", "amount"]
        read_only_fields = ["cases", "amount"]


class AllocationSerializer(serializers.ModelSerializer):
    parent = PlaceField()
    shares = ShareSerializer(many=True, read_only=True)

    class Meta:
        model = AllocationProposal
        fields = ["id", "name", "parent", "year", "envelope", "cases_from", "cases_to", "shares"]


class WeightSerializer(serializers.Serializer):
    location = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=10)


class WeightsSerializer(serializers.Serializer):
    weights = WeightSerializer(many=True, required=False, default=list)
    recount = serializers.BooleanField(default=False)


class AllocationViewSet(
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Allocation proposals: an envelope shared by cases registered × quality weight, in whole
    tögrög that add up to the envelope (largest remainder). `weights` sets the weights."""

    serializer_class = AllocationSerializer
    queryset = AllocationProposal.objects.none()
    permission_classes = [HasCapability]
    required_capability = "finance.view"
    required_capabilities = WRITE

    def get_queryset(self):
        user = self.request.user
        if self.request.method in permissions.SAFE_METHODS:
            return allocations_visible_to(user).prefetch_related("shares__location")
        return allocations_editable_by(user)

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    def perform_create(self, serializer):
        try:
            serializer.instance = alloc.allocation_create(
                actor=self.request.user, proposal=AllocationProposal(**serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc

    def perform_destroy(self, instance):
        alloc.allocation_delete(actor=self.request.user, proposal=instance)

    @extend_schema(request=WeightsSerializer, responses={200: AllocationSerializer})
    @action(detail=True, methods=["post"])
    def weights(self, request, pk=None):
        body = WeightsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = self.get_object()
        by_code = {s.location.code: s.pk for s in proposal.shares.select_related("location")}
        unknown = [
            w["location"] for w in body.validated_data["weights"] if w["location"] not in by_code
        ]
        if unknown:
            raise ApiValidationError({"weights": f"not an area of this proposal: {unknown}"})
        try:
            alloc.allocation_weights_set(
                actor=request.user,
                proposal=proposal,
                weights={
                    by_code[w["location"]]: w["weight"] for w in body.validated_data["weights"]
                },
                recount=body.validated_data["recount"],
            )
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc
        proposal = AllocationProposal.objects.prefetch_related("shares__location").get(
            pk=proposal.pk
        )
        return Response(self.get_serializer(proposal).data, status=status.HTTP_200_OK)
