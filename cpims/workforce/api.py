"""Workforce in the API: staff, courses, training sessions and attendance, supervision, and the
capacity indicators. Same selectors and services as the pages."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cpims.cases.selectors import cases_visible_to
from cpims.core.access import HasCapability, get_visible_or_404
from cpims.geo.models import Location
from cpims.justice.reports import parse_year
from cpims.workforce import services
from cpims.workforce.indicators import COLUMNS, capacity_indicators
from cpims.workforce.models import (
    Attendance,
    Course,
    StaffMember,
    SupervisionSession,
    TrainingSession,
)
from cpims.workforce.selectors import (
    courses_visible_to,
    staff_editable_by,
    staff_visible_to,
    supervision_visible_to,
    training_sessions_visible_to,
)

MANAGE = "workforce.manage"


def _api_error(exc: ValidationError):
    return ApiValidationError(getattr(exc, "message_dict", {"detail": exc.messages}))


class StaffSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="code", queryset=Location.objects.all())

    class Meta:
        model = StaffMember
        exclude = ["updated_at"]


class StaffViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The staff registry: managers (`workforce.manage`) see and edit their scope; everyone sees
    their own record."""

    serializer_class = StaffSerializer
    lookup_value_regex = r"\d+"
    queryset = StaffMember.objects.none()
    permission_classes = [HasCapability]
    required_capabilities = {"POST": MANAGE, "PUT": MANAGE}
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        qs = staff_visible_to(user) if self.request.method == "GET" else staff_editable_by(user)
        return qs.order_by("location__path", "kind", "pk")

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    def _save(self, serializer):
        staff = StaffMember(**serializer.validated_data) if serializer.instance is None else None
        if staff is None:
            staff = serializer.instance
            for name, value in serializer.validated_data.items():
                setattr(staff, name, value)
        if not self.request.user.scope.contains(staff.location):
            raise ApiValidationError({"location": "outside your scope"})
        try:
            serializer.instance = services.staff_save(actor=self.request.user, staff=staff)
        except ValidationError as exc:
            raise _api_error(exc) from exc


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = "__all__"


class CourseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CourseSerializer
    lookup_value_regex = r"\d+"
    queryset = Course.objects.none()
    permission_classes = [HasCapability]
    required_capabilities = {"POST": MANAGE}

    def get_queryset(self):
        return courses_visible_to(self.request.user)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.course_save(
                actor=self.request.user, course=Course(**serializer.validated_data)
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc


class SessionSerializer(serializers.ModelSerializer):
    location = serializers.SlugRelatedField(slug_field="code", queryset=Location.objects.all())

    class Meta:
        model = TrainingSession
        fields = "__all__"


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "session", "staff", "completed"]


class AttendanceBody(serializers.Serializer):
    staff = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    completed = serializers.BooleanField(default=True)


class TrainingSessionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Training sessions; `attendance` records who attended (managers of their scope)."""

    serializer_class = SessionSerializer
    lookup_value_regex = r"\d+"
    queryset = TrainingSession.objects.none()
    permission_classes = [HasCapability]
    required_capabilities = {"POST": MANAGE}

    def get_queryset(self):
        return training_sessions_visible_to(self.request.user).order_by("-starts_on", "-pk")

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.training_session_save(
                actor=self.request.user, session=TrainingSession(**serializer.validated_data)
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc

    @extend_schema(request=AttendanceBody, responses={200: AttendanceSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        session = self.get_object()
        body = AttendanceBody(data=request.data)
        body.is_valid(raise_exception=True)
        ids = body.validated_data["staff"]
        staff = list(staff_editable_by(request.user).filter(pk__in=ids))
        if len(staff) != len(set(ids)):
            raise ApiValidationError({"staff": "not all of these posts are in your scope"})
        try:
            services.attendance_record(
                actor=request.user,
                session=session,
                staff=staff,
                completed=body.validated_data["completed"],
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc
        rows = Attendance.objects.filter(session=session, staff__in=staff)
        return Response(AttendanceSerializer(rows, many=True).data)


class SupervisionSerializer(serializers.ModelSerializer):
    cases = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionSession
        exclude = ["recorded_by"]

    def get_cases(self, session) -> list[int]:
        """Only the cases the reader may see."""
        visible = self.context.get("visible_cases", set())
        return [c.pk for c in session.cases.all() if c.pk in visible]


class SupervisionBody(serializers.Serializer):
    supervisor = serializers.IntegerField()
    worker = serializers.IntegerField()
    held_on = serializers.DateField()
    kind = serializers.CharField(default="individual")
    minutes = serializers.IntegerField(default=60, min_value=5)
    cases = serializers.ListField(child=serializers.IntegerField(), required=False)
    follow_up = serializers.CharField(required=False, allow_blank=True, default="")
    next_on = serializers.DateField(required=False, allow_null=True, default=None)


class SupervisionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Professional supervision sessions: the supervisor, the worker and managers of the area."""

    serializer_class = SupervisionSerializer
    lookup_value_regex = r"\d+"
    queryset = SupervisionSession.objects.none()
    permission_classes = [HasCapability]
    required_capabilities = {"POST": MANAGE}

    def get_queryset(self):
        return (
            supervision_visible_to(self.request.user)
            .prefetch_related("cases")
            .order_by("-held_on", "-pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible_cases"] = set(
            cases_visible_to(self.request.user).values_list("pk", flat=True)
        )
        return context

    @extend_schema(request=SupervisionBody, responses={201: SupervisionSerializer})
    def create(self, request, *args, **kwargs):
        body = SupervisionBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        people = staff_editable_by(request.user).filter(is_vacant=False)
        supervisor = get_visible_or_404(people, pk=data.pop("supervisor"), user=request.user)
        worker = get_visible_or_404(people, pk=data.pop("worker"), user=request.user)
        ids = data.pop("cases", [])
        cases = list(cases_visible_to(request.user).filter(pk__in=ids))
        if len(cases) != len(set(ids)):
            raise ApiValidationError({"cases": "not all of these cases are visible to you"})
        try:
            session = services.supervision_record(
                actor=request.user, supervisor=supervisor, worker=worker, cases=cases, **data
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)


class IndicatorsView(APIView):
    """Capacity indicators per sub-area of `area` (default: the user's scope) and a total."""

    permission_classes = [HasCapability]

    @extend_schema(
        parameters=[OpenApiParameter("area", str), OpenApiParameter("year", int)],
        responses=inline_serializer(
            "WorkforceIndicators",
            {
                "area": serializers.CharField(),
                "year": serializers.IntegerField(),
                "rows": inline_serializer(
                    "WorkforceIndicatorRow",
                    {
                        "code": serializers.CharField(),
                        **{
                            key: serializers.FloatField(allow_null=True)
                            for key, _label in COLUMNS
                            if key != "name"
                        },
                        "name": serializers.CharField(),
                    },
                    many=True,
                ),
            },
        ),
    )
    def get(self, request):
        user = request.user
        if not (user.has_capability("reports.aggregate") or user.has_capability(MANAGE)):
            raise PermissionDenied("needs reports.aggregate or workforce.manage")
        if not user.scope_id:
            raise PermissionDenied("no scope")
        area = user.scope
        if request.query_params.get("area"):
            area = Location.objects.filter(code=request.query_params["area"]).first()
            if area is None or not user.scope.contains(area):
                raise PermissionDenied("outside your scope")
        year = request.query_params.get("year", "")
        report = capacity_indicators(area=area, year=parse_year(year), as_of=timezone.localdate())
        rows = [
            {k: v for k, v in row.items() if k != "untrained_units"}
            for row in [*report["rows"], report["total"]]
        ]
        return Response({"area": area.code, "year": report["year"], "rows": rows})
