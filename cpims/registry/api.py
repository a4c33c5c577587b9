from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from cpims.core.access import HasCapability, get_visible_or_404
from cpims.core.idempotency import IDEMPOTENCY_KEY, idempotent
from cpims.core.pagination import CappedLimitOffsetPagination
from cpims.geo.models import Location
from cpims.registry import services
from cpims.registry.identity.regno import RegnoError, parse_regno
from cpims.registry.merge import MERGEABLE_FIELDS, person_merge, person_merge_undo
from cpims.registry.models import Person, PersonMerge
from cpims.registry.selectors import (
    CandidateList,
    SearchQuery,
    person_candidates,
    person_search,
    persons_visible_to,
)


class PhonesField(serializers.ListField):
    """Written as the numbers to record, read back as the person's normalised numbers."""

    def get_attribute(self, person):
        return [p.number for p in person.phones.all()]


class PersonSerializer(serializers.ModelSerializer):
    phones = PhonesField(child=serializers.CharField(max_length=40), required=False)
    location = serializers.SlugRelatedField(slug_field="code", queryset=Location.objects.all())
    confirm_new = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "uid",
            "external_id",
            "family_name",
            "patronymic",
            "given_name",
            "other_names",
            "sex",
            "date_of_birth",
            "dob_estimated",
            "registration_number",
            "nationality",
            "disability",
            "languages",
            "location",
            "address",
            "phones",
            "version",
            "confirm_new",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uid", "created_at", "updated_at"]
        extra_kwargs = {
            "registration_number": {"allow_blank": True, "required": False},
            "version": {"required": False},
        }

    def validate_location(self, location):
        user = self.context["request"].user
        if not user.scope.contains(location):
            raise serializers.ValidationError("This place is outside your scope.")
        return location

    def to_input(self) -> services.PersonInput:
        data = dict(self.validated_data)
        data.pop("confirm_new", None)
        data.pop("version", None)
        data["registration_number"] = data.get("registration_number") or ""
        return services.PersonInput(**data)


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.full_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth")
    score = serializers.FloatField(source="match.score")
    level = serializers.CharField(source="match.level")
    reasons = serializers.ListField(source="match.reasons", child=serializers.CharField())


class CandidatesResponseSerializer(serializers.Serializer):
    candidates = CandidateSerializer(many=True)
    outside_scope = serializers.IntegerField(
        help_text="likely matches outside your area (count only)"
    )


class MergeRequestSerializer(serializers.Serializer):
    other = serializers.IntegerField(help_text="id of the record merged into this one")
    take = serializers.ListField(
        child=serializers.ChoiceField(choices=MERGEABLE_FIELDS), required=False
    )
    reason = serializers.CharField(required=False, max_length=1000)


class MergeResponseSerializer(serializers.Serializer):
    merge = serializers.IntegerField()
    survivor = serializers.IntegerField(required=False)
    merged = serializers.IntegerField(required=False)
    undone = serializers.BooleanField(required=False)


@extend_schema_serializer(many=False)  # one answer, though served by `list`
class RegnoSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    normalised = serializers.CharField(required=False)
    birth_date = serializers.DateField(required=False)
    sex = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    message = serializers.CharField(required=False)


def candidates_payload(candidates: CandidateList) -> dict:
    return {
        "candidates": CandidateSerializer(candidates.visible, many=True).data,
        "outside_scope": candidates.hidden_count,
    }


class PersonViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Registry persons. Create answers 409 with likely matches unless `confirm_new` is true;
    update needs the `version` read last and answers 409 when someone saved in between."""

    serializer_class = PersonSerializer
    permission_classes = [HasCapability]
    pagination_class = CappedLimitOffsetPagination
    required_capabilities = {
        "GET": "registry.view",
        "POST": "registry.edit",
        "PUT": "registry.edit",
        "PATCH": "registry.edit",
    }

    def get_queryset(self):
        return persons_visible_to(self.request.user).prefetch_related("phones").order_by("id")

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"], user=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("birth_year", int),
            OpenApiParameter("place", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        if any(params.get(k) for k in ("q", "birth_year", "place")):
            try:
                year = int(params["birth_year"]) if params.get("birth_year") else None
            except ValueError as exc:
                raise ApiValidationError({"birth_year": "must be a year"}) from exc
            results = person_search(
                user=request.user,
                query=SearchQuery(
                    text=params.get("q", ""), birth_year=year, location_code=params.get("place", "")
                ),
            )
            services.persons_searched(
                actor=request.user, query=params.urlencode(), count=len(results)
            )
            return Response(
                {"count": len(results), "results": self.get_serializer(results, many=True).data}
            )
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        services.person_viewed(actor=request.user, person=person)
        return Response(self.get_serializer(person).data)

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            person = services.person_create(
                actor=request.user,
                data=serializer.to_input(),
                confirmed_new=serializer.validated_data.get("confirm_new", False),
            )
        except services.PossibleDuplicate as dup:
            return Response(
                {
                    "detail": "possible duplicate: confirm_new to register anyway",
                    **candidates_payload(dup.candidates),
                },
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        person = self.get_object()
        payload = (
            {**self.get_serializer(person).data, **request.data}
            if kwargs.get("partial")
            else request.data
        )
        serializer = self.get_serializer(person, data=payload)
        serializer.is_valid(raise_exception=True)
        version = request.data.get("version")
        if version is None:
            raise ApiValidationError({"version": "send the version you read"})
        try:
            person = services.person_update(
                actor=request.user,
                person=person,
                data=serializer.to_input(),
                expected_version=int(version),
            )
        except services.VersionConflict as conflict:
            return Response(
                {
                    "detail": "changed by someone else",
                    "current": self.get_serializer(conflict.current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(self.get_serializer(person).data)

    @extend_schema(responses=CandidatesResponseSerializer)
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        """Likely other records of this person."""
        from cpims.registry.selectors import facts_of

        person = self.get_object()
        return Response(
            candidates_payload(
                person_candidates(user=request.user, facts=facts_of(person), exclude_id=person.pk)
            )
        )

    @extend_schema(request=MergeRequestSerializer, responses=MergeResponseSerializer)
    @action(detail=True, methods=["post"], url_path="merge")
    def merge(self, request, pk=None):
        """Merge the record `other` into this one; `take` lists fields to keep from `other`."""
        if not request.user.has_capability("registry.merge"):
            return Response(status=status.HTTP_403_FORBIDDEN)
        survivor = self.get_object()
        other = get_visible_or_404(
            self.get_queryset(), pk=request.data.get("other"), user=request.user
        )
        take = [f for f in request.data.get("take", []) if f in MERGEABLE_FIELDS]
        try:
            merge = person_merge(
                actor=request.user,
                survivor=survivor,
                merged=other,
                take_from_merged=take,
                reason=str(request.data.get("reason", ""))[:1000],
            )
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return Response({"merge": merge.pk, "survivor": survivor.pk, "merged": other.pk})


class MergeViewSet(viewsets.GenericViewSet):
    serializer_class = MergeResponseSerializer
    permission_classes = [HasCapability]
    required_capability = "registry.merge"

    def get_queryset(self):
        visible = persons_visible_to(self.request.user).values("pk")
        return PersonMerge.objects.filter(survivor__in=visible)

    @extend_schema(request=None, responses=MergeResponseSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        merge = get_visible_or_404(self.get_queryset(), pk=pk, user=request.user)
        try:
            person_merge_undo(actor=request.user, merge=merge)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return Response({"merge": merge.pk, "undone": True})


class RegnoViewSet(viewsets.GenericViewSet):
    """Parse a registration number: birth date and sex, or the reason it is not valid."""

    permission_classes = [HasCapability]
    required_capability = "registry.view"
    serializer_class = RegnoSerializer

    @extend_schema(parameters=[OpenApiParameter("value", str, required=True)])
    def list(self, request):
        try:
            parsed = parse_regno(request.query_params.get("value", ""))
        except RegnoError as exc:
            return Response({"valid": False, "code": exc.code, "message": exc.message})
        return Response(
            {
                "valid": True,
                "normalised": parsed.normalised,
                "birth_date": parsed.birth_date,
                "sex": parsed.sex,
            }
        )
