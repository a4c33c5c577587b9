"""Taxonomy, escalations, callbacks and the telephony webhook under /api/v1/."""

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from cpims.core.access import get_visible_or_404
from cpims.helpline import contact_parts, handover, taxonomy, telephony
from cpims.helpline.api import AnyCapability, api_error
from cpims.helpline.choices import TelephonyEventType
from cpims.helpline.models import Category, IntegrationToken, TaxonomyVersion, current_version
from cpims.helpline.selectors import (
    callbacks_due,
    contacts_visible_to,
    escalations_awaiting,
    escalations_visible_to,
)
from cpims.helpline.serializers import (
    AcknowledgeSerializer,
    CallbackDoneSerializer,
    ContactSerializer,
    EscalationSerializer,
)
from cpims.helpline.serializers_taxonomy import (
    CategoryCreateSerializer,
    CategorySerializer,
    CategoryUpdateSerializer,
)

TAXONOMY_READERS = ("helpline.contact", "helpline.supervise", "helpline.taxonomy")


class CategoryViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """The category tree (current version unless `?version=`). Administrators with
    `helpline.taxonomy` add country extensions and edit labels, ICVAC and harm mappings."""

    serializer_class = CategorySerializer
    permission_classes = [AnyCapability]
    http_method_names = ["get", "post", "patch", "head", "options"]
    pagination_class = None
    lookup_value_regex = r"\d+"  # partial_update looks the id up itself

    def capabilities_for(self, request):
        return TAXONOMY_READERS if request.method in SAFE_METHODS else ("helpline.taxonomy",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Category.objects.none()
        code = self.request.query_params.get("version")
        version = TaxonomyVersion.objects.filter(code=code).first() if code else current_version()
        return (
            Category.objects.filter(version=version)
            .select_related("version", "parent", "main", "reports_under")
            .order_by("sort", "code")
        )

    @extend_schema(parameters=[OpenApiParameter("version", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CategoryCreateSerializer, responses={201: CategorySerializer})
    def create(self, request, *args, **kwargs):
        payload = CategoryCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        nodes = self.get_queryset()
        parent = nodes.filter(code=data.pop("parent")).first()
        if parent is None:
            return Response({"parent": ["unknown category"]}, status=status.HTTP_400_BAD_REQUEST)
        reports_as = data.pop("reports_as")
        reports = nodes.filter(code=reports_as).first() if reports_as else None
        if reports_as and reports is None:
            return Response({"reports_as": ["unknown category"]}, status=400)
        try:
            node = taxonomy.category_add(
                actor=request.user, parent=parent, reports_as=reports, **data
            )
        except ValidationError as exc:
            raise api_error(exc) from exc
        return Response(CategorySerializer(node).data, status=status.HTTP_201_CREATED)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(request=CategoryUpdateSerializer, responses={200: CategorySerializer})
    def partial_update(self, request, *args, **kwargs):
        category = Category.objects.select_related("version").filter(pk=kwargs["pk"]).first()
        if category is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        payload = CategoryUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            node = taxonomy.category_update(
                actor=request.user, category=category, **payload.validated_data
            )
        except ValidationError as exc:
            raise api_error(exc) from exc
        return Response(CategorySerializer(node).data)


class EscalationViewSet(viewsets.ReadOnlyModelViewSet):
    """Escalations of helpline contacts to local teams. `?awaiting=1`: those you must
    acknowledge (your team's, or your level's)."""

    serializer_class = EscalationSerializer
    permission_classes = [AnyCapability]

    def capabilities_for(self, request):
        return ("helpline.contact", "helpline.supervise", "cases.view")

    def get_queryset(self):
        if self.request.query_params.get("awaiting"):
            return escalations_awaiting(self.request.user)
        return escalations_visible_to(self.request.user).order_by("-raised_at", "-pk")

    @extend_schema(parameters=[OpenApiParameter("awaiting", bool)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AcknowledgeSerializer, responses={200: EscalationSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        escalation = get_visible_or_404(
            escalations_awaiting(request.user), pk=pk, user=request.user
        )
        payload = AcknowledgeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            escalation = handover.escalation_acknowledge(
                actor=request.user, escalation=escalation, note=payload.validated_data["note"]
            )
        except ValidationError as exc:
            raise api_error(exc) from exc
        return Response(EscalationSerializer(escalation).data)


class CallbackViewSet(viewsets.ReadOnlyModelViewSet):
    """Callbacks promised and not yet made, earliest first (`?overdue=1`: late ones only)."""

    serializer_class = ContactSerializer
    permission_classes = [AnyCapability]

    def capabilities_for(self, request):
        return ("helpline.contact",)

    def get_queryset(self):
        overdue = bool(self.request.query_params.get("overdue"))
        return callbacks_due(self.request.user, overdue_only=overdue)

    @extend_schema(parameters=[OpenApiParameter("overdue", bool)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CallbackDoneSerializer, responses={200: ContactSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        contact = get_visible_or_404(contacts_visible_to(request.user), pk=pk, user=request.user)
        payload = CallbackDoneSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            contact = contact_parts.callback_done(
                actor=request.user, contact=contact, note=payload.validated_data["note"]
            )
        except ValidationError as exc:
            raise api_error(exc) from exc
        return Response(ContactSerializer(contact).data)


class IntegrationTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` plus `X-CPIMS-Signature: sha256=<HMAC of the raw body>`.
    A wrong or missing token answers 401; a wrong signature 403. Nothing is written either way."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            raise AuthenticationFailed("integration token required")
        token = telephony.token_authenticate(header.removeprefix("Bearer ").strip())
        if token is None:
            raise AuthenticationFailed("unknown or inactive token")
        signature = request.META.get("HTTP_X_CPIMS_SIGNATURE", "")
        if not signature or not telephony.signature_valid(token, request._request.body, signature):
            raise PermissionDenied("bad signature")
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), token

    def authenticate_header(self, request):
        return 'Bearer realm="telephony"'


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "cpims.helpline.api_misc.IntegrationTokenAuthentication"
    name = "telephonyToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Integration token; also sign the raw body: "
            "X-CPIMS-Signature: sha256=<HMAC-SHA256 hex> (see docs/helpline.md).",
        }


class HasIntegrationToken(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, IntegrationToken)


class TelephonyEventSerializer(serializers.Serializer):
    event_id = serializers.CharField(max_length=100)
    type = serializers.ChoiceField(choices=TelephonyEventType.choices)
    call_id = serializers.CharField(max_length=100)
    caller_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    extension = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    occurred_at = serializers.CharField(required=False, allow_blank=True, default="")
    line = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")

    def validate_occurred_at(self, value):
        if not value:
            return None
        parsed = parse_datetime(value)
        if parsed is None or parsed.tzinfo is None:
            raise serializers.ValidationError("ISO 8601 with a time zone")
        return parsed


class TelephonyEventView(APIView):
    """A call event from the PBX (ringing, answered, ended). Creates or updates the call's
    contact draft, so the counsellor's screen pops with the caller lookup. Idempotent by
    `event_id`: a repeated event answers 200 and changes nothing."""

    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [HasIntegrationToken]

    @extend_schema(
        request=TelephonyEventSerializer,
        responses={
            201: inline_serializer(
                "TelephonyAccepted",
                {"contact": serializers.IntegerField(), "duplicate": serializers.BooleanField()},
            ),
            200: OpenApiResponse(description="already received (duplicate event id)"),
            401: OpenApiResponse(description="missing or unknown token"),
            403: OpenApiResponse(description="bad signature"),
        },
    )
    def post(self, request):
        payload = TelephonyEventSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        token = request.auth
        record, created = telephony.telephony_event_receive(
            token=token, event=telephony.CallEvent(**data)
        )
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=record.received_at)
        return Response(
            {"contact": record.contact_id, "duplicate": not created},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
