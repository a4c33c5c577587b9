"""The justice and domestic-violence sections of a case in the API. Same selectors, same forms
and same services as the pages: justice needs `justice.view`, every step a case the user may
edit; a step that is not allowed answers 409 with the reason."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from cpims.cases.errors import TransitionError
from cpims.cases.selectors import cases_editable_by, cases_visible_to
from cpims.core.access import HasCapability, get_visible_or_404
from cpims.justice import models as m
from cpims.justice import selectors as sel
from cpims.justice.steps import DV, JUSTICE, STEPS, may_run, steps_in


def _serializer(model, *, exclude=("recorded_by",), extra: dict | None = None):
    meta = type("Meta", (), {"model": model, "exclude": list(exclude)})
    return type(
        f"{model.__name__}Serializer",
        (serializers.ModelSerializer,),
        {"Meta": meta, **(extra or {})},
    )


PoliceReportSerializer = _serializer(m.PoliceReport)
HearingSerializer = _serializer(m.Hearing, exclude=())
CourtCaseSerializer = _serializer(
    m.CourtCase, extra={"hearings": HearingSerializer(many=True, read_only=True)}
)
InterviewSerializer = _serializer(m.ForensicInterview)
LegalAidSerializer = _serializer(m.LegalAid)
ProbationVisitSerializer = _serializer(m.ProbationVisit)
ConflictSerializer = _serializer(
    m.ConflictRecord, extra={"visits": ProbationVisitSerializer(many=True, read_only=True)}
)
AssessmentSerializer = _serializer(m.DangerAssessment)
ViolationSerializer = _serializer(m.OrderViolation)
OrderSerializer = _serializer(
    m.ProtectionOrder, extra={"violations": ViolationSerializer(many=True, read_only=True)}
)
StaySerializer = _serializer(m.ShelterStay)


class InterviewCountSerializer(serializers.Serializer):
    child = serializers.IntegerField(source="child.pk")
    count = serializers.IntegerField()
    too_many = serializers.BooleanField()


class JusticeSectionSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    police_reports = PoliceReportSerializer(many=True)
    court_cases = CourtCaseSerializer(many=True)
    interviews = InterviewSerializer(many=True)
    interview_counts = InterviewCountSerializer(many=True)
    legal_aid = LegalAidSerializer(many=True)
    conflict_records = ConflictSerializer(many=True)


class DvSectionSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    assessments = AssessmentSerializer(many=True)
    orders = OrderSerializer(many=True)
    stays = StaySerializer(many=True)


CONFLICT = OpenApiResponse(description="the step is not allowed now; `detail` says why")
STEP_RESULT = inline_serializer("SectorStepResult", {"id": serializers.IntegerField()})


def _run_step(request, case, name: str) -> Response:
    step = STEPS[name]
    if not may_run(request.user, step):
        raise PermissionDenied("this step needs another permission")
    if not cases_editable_by(request.user).filter(pk=case.pk).exists():
        raise PermissionDenied("this case is not with your team")
    form = step.form(data=request.data, case=case)
    if not form.is_valid():
        raise ApiValidationError(form.errors.get_json_data())
    try:
        result = step.run(request.user, case, form.cleaned_data)
    except TransitionError as exc:
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    except ValidationError as exc:
        raise ApiValidationError(getattr(exc, "message_dict", {"detail": exc.messages})) from exc
    return Response({"id": result.pk}, status=status.HTTP_201_CREATED)


class _SectionViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [HasCapability]
    section = ""

    def visible_cases(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.visible_cases()

    def get_object(self):
        return get_visible_or_404(
            self.visible_cases(), pk=self.kwargs["pk"], user=self.request.user
        )


class JusticeCaseViewSet(_SectionViewSet):
    """The restricted justice section of a case (capability `justice.view`)."""

    required_capability = "justice.view"
    serializer_class = JusticeSectionSerializer
    section = JUSTICE

    def visible_cases(self):
        return sel.justice_cases_visible_to(self.request.user)

    def retrieve(self, request, pk=None):
        case = self.get_object()
        return Response(
            JusticeSectionSerializer(
                {"case": case.pk, **sel.justice_section(request.user, case)}
            ).data
        )


class DvCaseViewSet(_SectionViewSet):
    """The domestic-violence section of a case: assessments, orders, shelter stays."""

    required_capability = "cases.view"
    serializer_class = DvSectionSerializer
    section = DV

    def visible_cases(self):
        return cases_visible_to(self.request.user)

    def retrieve(self, request, pk=None):
        case = self.get_object()
        return Response(
            DvSectionSerializer({"case": case.pk, **sel.dv_section(request.user, case)}).data
        )


def _step_action(name: str):
    form = STEPS[name].form

    def step(self, request, pk=None):
        return _run_step(request, self.get_object(), name)

    step.__name__ = name.replace("-", "_")
    body = inline_serializer(
        f"Sector{form.__name__}Body",
        {
            field: serializers.CharField(required=f.required)
            for field, f in form.base_fields.items()
        },
    )
    step = extend_schema(
        request=body, responses={201: STEP_RESULT, 409: CONFLICT}, summary=str(STEPS[name].title)
    )(step)
    return action(detail=True, methods=["post"], url_path=name, url_name=name)(step)


for _name in steps_in(JUSTICE):
    setattr(JusticeCaseViewSet, _name.replace("-", "_"), _step_action(_name))
for _name in steps_in(DV):
    setattr(DvCaseViewSet, _name.replace("-", "_"), _step_action(_name))


def _list_viewset(name: str, serializer, selector, capability: str, ordering: str, doc: str):
    def get_queryset(self):
        return selector(self.request.user).order_by(ordering, "pk")

    return type(
        name,
        (viewsets.ReadOnlyModelViewSet,),
        {
            "__doc__": doc,
            "serializer_class": serializer,
            "permission_classes": [HasCapability],
            "required_capability": capability,
            "queryset": serializer.Meta.model.objects.none(),
            "lookup_value_regex": r"\d+",
            "get_queryset": get_queryset,
        },
    )


J = "justice.view"
PoliceReportViewSet = _list_viewset(
    "PoliceReportViewSet",
    PoliceReportSerializer,
    sel.police_reports_visible_to,
    J,
    "-reported_on",
    "Police reports on cases the user may read (restricted).",
)
CourtCaseViewSet = _list_viewset(
    "CourtCaseViewSet",
    CourtCaseSerializer,
    sel.court_cases_visible_to,
    J,
    "-recorded_at",
    "Prosecution and court cases with their hearings (restricted).",
)
HearingViewSet = _list_viewset(
    "HearingViewSet",
    HearingSerializer,
    sel.hearings_visible_to,
    J,
    "scheduled_at",
    "Court hearings (restricted).",
)
InterviewViewSet = _list_viewset(
    "InterviewViewSet",
    InterviewSerializer,
    sel.interviews_visible_to,
    J,
    "-held_on",
    "Forensic interviews (restricted).",
)
LegalAidViewSet = _list_viewset(
    "LegalAidViewSet",
    LegalAidSerializer,
    sel.legal_aid_visible_to,
    J,
    "-provided_on",
    "Legal aid given (restricted).",
)
ConflictViewSet = _list_viewset(
    "ConflictViewSet",
    ConflictSerializer,
    sel.conflict_records_visible_to,
    J,
    "-recorded_at",
    "Children in conflict with the law (restricted).",
)
ProtectionOrderViewSet = _list_viewset(
    "ProtectionOrderViewSet",
    OrderSerializer,
    sel.protection_orders_visible_to,
    "cases.view",
    "expires_on",
    "Protection orders and restraining measures on visible cases.",
)
ShelterStayViewSet = _list_viewset(
    "ShelterStayViewSet",
    StaySerializer,
    sel.shelter_stays_visible_to,
    "cases.view",
    "-admitted_on",
    "Shelter and one-stop centre stays on visible cases.",
)
