from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from cpims.cases import services, workflow
from cpims.cases.choices import Harm
from cpims.cases.errors import TransitionError
from cpims.cases.models import Approval, Case, Task
from cpims.cases.selectors import (
    approvals_waiting_for,
    case_list,
    cases_editable_by,
    cases_visible_to,
    tasks_for_user,
)
from cpims.cases.sensitive import visible_harms
from cpims.cases.steps import STEPS
from cpims.core.access import HasCapability, get_visible_or_404
from cpims.core.idempotency import IDEMPOTENCY_KEY, idempotent
from cpims.core.pagination import CappedLimitOffsetPagination
from cpims.geo.models import Location
from cpims.registry.selectors import persons_visible_to


class CaseSerializer(serializers.ModelSerializer):
    children = serializers.SerializerMethodField()
    harms = serializers.SerializerMethodField()
    location = serializers.CharField(source="location.code")
    agency = serializers.CharField(source="agency.code")

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "stage",
            "is_open",
            "risk",
            "origin",
            "reported_at",
            "location",
            "agency",
            "assigned_worker",
            "children",
            "harms",
            "summary",
            "closure_reason",
            "opened_at",
            "closed_at",
            "version",
        ]

    def get_children(self, case) -> list[int]:
        return [c.person_id for c in case.children.all()]

    def get_harms(self, case) -> list[str]:
        return visible_harms(self.context["request"].user, case)


class CaseCreateSerializer(serializers.Serializer):
    children = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    location = serializers.SlugRelatedField(slug_field="code", queryset=Location.objects.all())
    origin = serializers.CharField(default="walk_in")
    risk = serializers.CharField(default="unassessed")
    harms = serializers.ListField(
        child=serializers.ChoiceField(choices=Harm.choices), required=False
    )
    summary = serializers.CharField(required=False, allow_blank=True)


class TaskSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")

    class Meta:
        model = Task
        fields = ["id", "case", "case_number", "kind", "title", "due_at", "assigned_to", "done_at"]


STEP_RESPONSE = inline_serializer("StepResult", {"case": CaseSerializer()})
CONFLICT = OpenApiResponse(description="the step is not allowed now; `detail` says why")


def run_step(request, case: Case, name: str) -> Response:
    """One code path with the pages: the step's form validates, the step's service runs."""
    step = STEPS[name]
    if not cases_editable_by(request.user).filter(pk=case.pk).exists():
        raise PermissionDenied("this case is not with your team")
    form = step.form(data=request.data)
    if not form.is_valid():
        raise ApiValidationError(form.errors.get_json_data())
    try:
        step.run(request.user, case, form.cleaned_data)
    except TransitionError as exc:
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    except ValidationError as exc:
        raise ApiValidationError(getattr(exc, "message_dict", {"detail": exc.messages})) from exc
    case.refresh_from_db()
    return Response({"case": CaseSerializer(case, context={"request": request}).data})


class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cases visible to the user. Workflow steps are explicit actions; a step that is not
    allowed now answers 409 with the reason."""

    serializer_class = CaseSerializer
    permission_classes = [HasCapability]
    pagination_class = CappedLimitOffsetPagination
    required_capabilities = {"GET": "cases.view", "POST": "cases.edit"}

    def get_queryset(self):
        params = self.request.query_params
        filters = {
            k: params[k]
            for k in ("status", "stage", "risk", "worker", "place", "harm", "q")
            if params.get(k)
        }
        return case_list(
            self.request.user, overdue=params.get("overdue") == "1", **filters
        ).prefetch_related("children", "harms")

    def get_object(self):
        return get_visible_or_404(
            cases_visible_to(self.request.user), pk=self.kwargs["pk"], user=self.request.user
        )

    @extend_schema(
        request=CaseCreateSerializer, responses={201: CaseSerializer}, parameters=[IDEMPOTENCY_KEY]
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        data = CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        persons = {
            p.pk: p for p in persons_visible_to(request.user).filter(pk__in=values["children"])
        }
        missing = [i for i in values["children"] if i not in persons]
        if missing:
            raise ApiValidationError({"children": f"no visible person with id {missing}"})
        if not request.user.scope.contains(values["location"]):
            raise ApiValidationError({"location": "outside your scope"})
        try:
            case = services.case_register(
                actor=request.user,
                data=services.CaseRegistration(
                    children=[persons[i] for i in values["children"]],
                    location=values["location"],
                    origin=values["origin"],
                    risk=values["risk"],
                    harms=values.get("harms", []),
                    summary=values.get("summary", ""),
                ),
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(
            CaseSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    def retrieve(self, request, *args, **kwargs):
        from cpims.audit.services import audit_record

        case = self.get_object()
        audit_record(
            actor=request.user, action="cases.viewed", object_type="cases.Case", object_id=case.pk
        )
        return Response(CaseSerializer(case, context={"request": request}).data)


def _step_action(name: str):
    form = STEPS[name].form

    def step(self, request, pk=None):
        return run_step(request, self.get_object(), name)

    # DRF maps HTTP methods to the function's name, so name it before decorating.
    step.__name__ = name.replace("-", "_")
    body = inline_serializer(
        f"{form.__name__}Body",
        {
            field: serializers.CharField(required=f.required)
            for field, f in form.base_fields.items()
        },
    )
    step = extend_schema(
        request=body, responses={200: STEP_RESPONSE, 409: CONFLICT}, summary=str(STEPS[name].title)
    )(step)
    return action(detail=True, methods=["post"], url_path=name, url_name=name)(step)


for _name in STEPS:
    setattr(CaseViewSet, _name.replace("-", "_"), _step_action(_name))


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True)


class ApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Approval
        fields = [
            "id",
            "case",
            "kind",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "comment",
        ]


class ApprovalViewSet(viewsets.ReadOnlyModelViewSet):
    """Approvals waiting for the signed-in supervisor; `decide` approves or returns."""

    serializer_class = ApprovalSerializer
    permission_classes = [HasCapability]
    required_capability = "cases.approve"

    def get_queryset(self):
        return approvals_waiting_for(self.request.user)

    @extend_schema(request=DecisionSerializer, responses={200: ApprovalSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        visible = Approval.objects.filter(case__in=cases_visible_to(request.user).values("pk"))
        approval = get_visible_or_404(visible, pk=pk, user=request.user)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            approval = workflow.approval_decide(
                actor=request.user,
                approval=approval,
                approve=body.validated_data["approve"],
                comment=body.validated_data.get("comment", ""),
            )
        except TransitionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(ApprovalSerializer(approval).data)


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in worker's open tasks, most urgent first."""

    serializer_class = TaskSerializer
    permission_classes = [HasCapability]
    required_capability = "cases.view"

    def get_queryset(self):
        return tasks_for_user(self.request.user)
