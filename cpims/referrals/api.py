from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from cpims.cases.errors import TransitionError
from cpims.cases.selectors import cases_visible_to
from cpims.core.access import HasCapability, get_visible_or_404
from cpims.core.idempotency import IDEMPOTENCY_KEY, idempotent
from cpims.core.pagination import CappedLimitOffsetPagination
from cpims.geo.models import Location
from cpims.referrals import services
from cpims.referrals.choices import Status, Urgency
from cpims.referrals.models import Activity, Delivery, Referral, Service
from cpims.referrals.selectors import (
    activities_visible_to,
    deliveries_visible_to,
    directory_search,
    referral_shared_view,
    referrals_visible_to,
)


class ServiceSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name_mn", read_only=True)
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "id",
            "provider",
            "provider_name",
            "service_type",
            "level",
            "name_mn",
            "name_en",
            "address",
            "hours",
            "phone",
            "email",
            "languages",
            "min_age",
            "max_age",
            "sex",
            "capacity",
            "available",
            "unit",
            "is_active",
            "updated_at",
            "coverage",
        ]

    def get_coverage(self, service) -> list[str]:
        return [c.location.code for c in service.coverage.select_related("location")]


class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """The service directory. `place` (a location code) orders results nearest first."""

    serializer_class = ServiceSerializer
    queryset = Service.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("place", str),
            OpenApiParameter("service_type", str),
            OpenApiParameter("q", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        place = (
            Location.objects.filter(code=params["place"]).first() if params.get("place") else None
        )
        return directory_search(
            user=self.request.user,
            place=place,
            service_type=params.get("service_type", ""),
            text=params.get("q", ""),
        )


class ReferralListSerializer(serializers.ListSerializer):
    """A page of referrals: which of their cases the reader sees is one query for the page,
    not one visibility lookup per referral."""

    def to_representation(self, data):
        referrals = list(data.all() if hasattr(data, "all") else data)
        user = self.context["request"].user
        case_ids = {referral.case_id for referral in referrals}
        self.child.visible_case_ids = set(
            cases_visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)
        )
        return [self.child.to_representation(referral) for referral in referrals]


class ReferralSerializer(serializers.ModelSerializer):
    visible_case_ids: set[int] | None = None  # set by the list for its page

    class Meta:
        model = Referral
        list_serializer_class = ReferralListSerializer
        fields = [
            "id",
            "reference",
            "case",
            "service",
            "to_agency",
            "urgency",
            "reason",
            "status",
            "share_contact",
            "share_harm",
            "share_assessment",
            "external",
            "due_at",
            "sent_at",
            "received_at",
            "responded_at",
            "started_at",
            "finished_at",
            "decline_reason",
            "outcome_notes",
            "feedback",
        ]

    def to_representation(self, referral):
        user = self.context["request"].user
        if self.visible_case_ids is not None:
            sees_case = referral.case_id in self.visible_case_ids
        else:
            sees_case = cases_visible_to(user).filter(pk=referral.case_id).exists()
        if sees_case:
            return super().to_representation(referral)
        # A provider reads only what the referral shares — never the case itself.
        shared = referral_shared_view(referral)
        return {
            "id": referral.pk,
            **shared,
            "due_at": referral.due_at.isoformat(),
            "feedback": referral.feedback,
        }


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.filter(is_active=True))
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    reason = serializers.CharField()
    share_contact = serializers.BooleanField(default=False)
    share_harm = serializers.BooleanField(default=False)
    share_assessment = serializers.BooleanField(default=False)
    external = serializers.BooleanField(default=False)


class StepSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Referrals: case workers see those on their cases; providers those addressed to them,
    limited to the shared fields. `step` moves a referral along its lifecycle (409 if illegal)."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()
    pagination_class = CappedLimitOffsetPagination

    def get_queryset(self):
        return referrals_visible_to(self.request.user).order_by("-sent_at")

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    @extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        from cpims.cases.selectors import cases_editable_by

        body = ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        case = get_visible_or_404(
            cases_editable_by(request.user), pk=data.pop("case"), user=request.user
        )
        try:
            referral = services.referral_create(actor=request.user, case=case, **data)
        except TransitionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise ApiValidationError(
                getattr(exc, "message_dict", {"detail": exc.messages})
            ) from exc
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StepSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        body = StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            referral = services.referral_step(
                actor=request.user, referral=self.get_object(), **body.validated_data
            )
        except TransitionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise ApiValidationError(
                getattr(exc, "message_dict", {"detail": exc.messages})
            ) from exc
        return Response(self.get_serializer(referral).data)


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "case",
            "referral",
            "service",
            "provider",
            "service_type",
            "level",
            "location",
            "delivered_on",
            "ended_on",
            "units",
            "unit",
            "notes",
        ]
        read_only_fields = ["provider", "service_type", "level", "location", "unit"]


class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DeliverySerializer
    queryset = Delivery.objects.none()

    def get_queryset(self):
        return deliveries_visible_to(self.request.user).order_by("-delivered_on")


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "held_on",
            "location",
            "organiser",
            "topic",
            "title",
            "girls_0_5",
            "boys_0_5",
            "girls_6_11",
            "boys_6_11",
            "girls_12_17",
            "boys_12_17",
            "women",
            "men",
            "materials",
        ]


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()
    permission_classes = [HasCapability]

    def get_queryset(self):
        return activities_visible_to(self.request.user).order_by("-held_on")
