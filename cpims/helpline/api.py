"""Contacts through the API — the same selector, services and rules as the counsellor screen."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from cpims.cases.models import Case
from cpims.core.access import get_visible_or_404
from cpims.core.idempotency import IDEMPOTENCY_KEY, idempotent
from cpims.core.numbers import is_number_text
from cpims.core.pagination import CappedLimitOffsetPagination
from cpims.helpline import handover, services
from cpims.helpline.contact_rows import RELATIONS, relations_primed
from cpims.helpline.models import Contact, ContactCategory, current_version
from cpims.helpline.selectors import caller_lookup, cases_known_to_helpline, contacts_visible_to
from cpims.helpline.serializers import (
    ContactSerializer,
    ContactWriteSerializer,
    EscalateSerializer,
    EscalationSerializer,
    LinkCaseSerializer,
    QuickContactSerializer,
)
from cpims.registry.services import PossibleDuplicate

READERS = ("helpline.contact", "helpline.supervise", "cases.view")
WRITERS = ("helpline.contact",)


class AnyCapability(BasePermission):
    """The view's `capabilities_for(request)` lists alternatives: holding one is enough."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return any(user.has_capability(c) for c in view.capabilities_for(request))


def api_error(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


def _evaluated_empty(queryset):
    """An empty queryset that is already evaluated: iterating it compiles no SQL."""
    queryset._result_cache = []
    queryset._prefetch_done = True
    return queryset


LOOKUP_RESPONSE = inline_serializer(
    "CallerLookup",
    {
        "number": serializers.CharField(),
        "contacts": ContactSerializer(many=True),
        "contact_count": serializers.IntegerField(),
        "persons": serializers.ListField(child=serializers.IntegerField()),
        "cases": serializers.ListField(child=serializers.DictField()),
        "hidden_cases": serializers.IntegerField(),
    },
)


class ContactViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Helpline contacts. Helpline staff see all; local teams see the contacts linked to cases
    they can see. POST creates a completed contact (or a draft with `draft: true`); PATCH
    changes a draft; `complete` closes it (an emergency is escalated to the local team)."""

    serializer_class = ContactSerializer
    permission_classes = [AnyCapability]
    pagination_class = CappedLimitOffsetPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def capabilities_for(self, request):
        if request.method in SAFE_METHODS and self.action != "lookup":
            return READERS
        return WRITERS

    def get_queryset(self):
        contacts = (
            contacts_visible_to(self.request.user)
            .select_related("caller_location", "primary_category", "taxonomy_version")
            .prefetch_related(
                Prefetch("categories", ContactCategory.objects.select_related("category")),
                "children__location",
                "perpetrators",
                "actions",
                "vulnerabilities",
            )
        )
        params = self.request.query_params
        for name in ("status", "call_type", "channel", "urgency"):
            if params.get(name):
                contacts = contacts.filter(**{name: params[name]})
        if is_number_text(params.get("case", "")):
            contacts = contacts.filter(case_id=int(params["case"]))
        return contacts.order_by("-started_at", "-pk")

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    def _read(self, contact, code=status.HTTP_200_OK):
        return Response(ContactSerializer(self.get_queryset().get(pk=contact.pk)).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("call_type", str),
            OpenApiParameter("channel", str),
            OpenApiParameter("urgency", str),
            OpenApiParameter("case", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ContactWriteSerializer,
        responses={201: ContactSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        payload = ContactWriteSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.to_data(version_id=None)  # the current version's categories
        named = data.primary_category or next(iter(data.categories or []), None)
        version = named.version if named is not None else current_version()
        data.fields.setdefault("call_type", "data")
        start = {"channel": data.fields.pop("channel", "phone")}
        if "started_at" in data.fields:
            start["started_at"] = data.fields.pop("started_at")
        try:
            contact = services.contact_create(
                actor=request.user,
                data=data,
                complete=not payload.validated_data["draft"],
                taxonomy_version=version,
                **start,
            )
        except ValidationError as exc:
            raise api_error(exc) from exc
        if relations_primed(contact):  # answered from what was written, not read again
            return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
        return self._read(contact, status.HTTP_201_CREATED)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)

    @extend_schema(request=ContactWriteSerializer, responses={200: ContactSerializer})
    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        payload = ContactWriteSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        try:
            contact = services.contact_save(
                actor=request.user,
                contact=contact,
                data=payload.to_data(version_id=contact.taxonomy_version_id),
            )
        except services.ContactLocked as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise api_error(exc) from exc
        return self._read(contact)

    @extend_schema(request=None, responses={200: ContactSerializer, 409: OpenApiResponse()})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        try:
            contact = services.contact_complete(actor=request.user, contact=self.get_object())
        except services.ContactLocked as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise api_error(exc) from exc
        return self._read(contact)

    @extend_schema(request=None, responses={200: ContactSerializer, 409: OpenApiResponse()})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        try:
            contact = services.contact_discard(actor=request.user, contact=self.get_object())
        except services.ContactLocked as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise api_error(exc) from exc
        return self._read(contact)

    @extend_schema(
        request=QuickContactSerializer,
        responses={201: ContactSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def quick(self, request):
        """A non-data contact (silent, blank, prank, hang-up, wrong number, abusive, test)."""
        payload = QuickContactSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        draft = None
        if data.get("contact"):
            draft = get_visible_or_404(
                contacts_visible_to(request.user), pk=data["contact"], user=request.user
            )
        try:
            contact = services.contact_record_non_data(
                actor=request.user,
                call_type=data["call_type"],
                channel=data["channel"],
                contact=draft,
                started_at=data.get("started_at"),
            )
        except services.ContactLocked as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        if draft is not None:
            return self._read(contact, status.HTTP_201_CREATED)
        # A new one-click contact has no categories, children, perpetrators, actions or groups:
        # answered from memory instead of re-reading it with 7 queries (most of the API's
        # contacts are these). The empty sets serve this answer only: `none()` is cheaper than
        # the related managers `relations_prime` builds for contacts used further.
        contact._prefetched_objects_cache = {
            name: _evaluated_empty(Contact._meta.get_field(name).related_model.objects.none())
            for name in RELATIONS
        }
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EscalateSerializer,
        responses={201: EscalationSerializer, 409: OpenApiResponse(description="likely matches")},
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """Open a case with the responsible team (or use the linked one) and escalate to it."""
        payload = EscalateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            escalation = handover.contact_escalate(
                actor=request.user,
                contact=self.get_object(),
                confirm_new=payload.validated_data["confirm_new"],
            )
        except PossibleDuplicate as dup:
            return Response(
                {
                    "detail": "a child may already be registered: link them or confirm_new",
                    "candidates": [c.person.pk for c in dup.candidates.visible],
                    "outside_scope": dup.candidates.hidden_count,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as exc:
            raise api_error(exc) from exc
        return Response(EscalationSerializer(escalation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LinkCaseSerializer, responses={200: ContactSerializer})
    @action(detail=True, methods=["post"], url_path="link-case")
    def link_case(self, request, pk=None):
        payload = LinkCaseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        contact = self.get_object()
        case: Case = get_visible_or_404(
            cases_known_to_helpline(request.user),
            pk=payload.validated_data["case"],
            user=request.user,
        )
        try:
            handover.contact_link_case(actor=request.user, contact=contact, case=case)
        except ValidationError as exc:
            raise api_error(exc) from exc
        return self._read(contact)

    @extend_schema(
        parameters=[OpenApiParameter("phone", str), OpenApiParameter("contact", int)],
        responses={200: LOOKUP_RESPONSE},
    )
    @action(detail=False, methods=["get"])
    def lookup(self, request):
        """Earlier contacts and open cases for a phone number, within the caller's access."""
        contact_id = request.query_params.get("contact", "")
        person_ids, exclude = [], None
        if is_number_text(contact_id):
            contact = self.get_queryset().filter(pk=int(contact_id)).first()
            if contact is not None:
                exclude = contact.pk
                person_ids = [c.person_id for c in contact.children.all() if c.person_id]
        result = caller_lookup(
            user=request.user,
            phone=request.query_params.get("phone", ""),
            person_ids=person_ids,
            exclude_contact=exclude,
        )
        if result.error:
            raise ApiValidationError({"phone": [result.error]})
        # What ContactSerializer reads, fetched once for the page (not 7 queries per contact).
        prefetch_related_objects(
            result.contacts,
            "caller_location",
            "taxonomy_version",
            Prefetch("categories", ContactCategory.objects.select_related("category")),
            "children__location",
            "perpetrators",
            "actions",
            "vulnerabilities",
        )
        return Response(
            {
                "number": result.number,
                "contacts": ContactSerializer(result.contacts, many=True).data,
                "contact_count": result.contact_count,
                "persons": [p.pk for p in result.persons],
                "cases": [
                    {"id": c.pk, "number": c.number, "agency": c.agency.code, "stage": c.stage}
                    for c in result.cases
                ],
                "hidden_cases": result.hidden_cases,
            }
        )
