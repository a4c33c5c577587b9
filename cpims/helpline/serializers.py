"""API shapes of contacts, escalations and categories."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cpims.core.serializers import PrebuiltModelSerializer, PrebuiltSerializer
from cpims.geo.models import Location
from cpims.helpline.choices import (
    NON_DATA_CALL_TYPES,
    ActionTaken,
    CallerKind,
    CallType,
    Channel,
    ChildSex,
    Outcome,
    Relationship,
    Urgency,
    VulnerableGroup,
)
from cpims.helpline.models import Category, Contact, Escalation
from cpims.helpline.services import ChildInput, ContactData, PerpetratorInput
from cpims.registry.identity.phone import PhoneError, normalise_phone
from cpims.registry.selectors import persons_visible_to


class ChildSerializer(PrebuiltSerializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    person = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    age_years = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=25)
    sex = serializers.ChoiceField(choices=ChildSex.choices, required=False, default="U")
    location = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class PerpetratorSerializer(PrebuiltSerializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    person = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default=""
    )
    relationship = serializers.ChoiceField(
        choices=Relationship.choices, required=False, allow_blank=True, default=""
    )
    lives_with_child = serializers.BooleanField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=ChildSex.choices, required=False, default="U")


class ContactSerializer(PrebuiltModelSerializer):
    counsellor = serializers.IntegerField(source="counsellor_id", read_only=True, allow_null=True)
    caller_location = serializers.CharField(
        source="caller_location.code", read_only=True, allow_null=True
    )
    primary_category = serializers.CharField(
        source="primary_category.code", read_only=True, allow_null=True
    )
    taxonomy_version = serializers.CharField(source="taxonomy_version.code", read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    categories = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    perpetrators = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    vulnerable_groups = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "uid",
            "status",
            "call_type",
            "channel",
            "line",
            "started_at",
            "answered_at",
            "ended_at",
            "duration_seconds",
            "counsellor",
            "telephony_call_id",
            "caller_anonymous",
            "caller_kind",
            "caller_relationship",
            "caller_name",
            "caller_phone",
            "caller_age",
            "caller_sex",
            "caller_location",
            "urgency",
            "primary_category",
            "categories",
            "outcome",
            "is_repeat",
            "narrative",
            "callback_requested",
            "callback_at",
            "callback_number",
            "callback_consent",
            "callback_done_at",
            "case",
            "children",
            "perpetrators",
            "actions",
            "vulnerable_groups",
            "taxonomy_version",
            "form_version",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields

    def get_categories(self, contact) -> list[str]:
        return [link.category.code for link in contact.categories.all()]

    def get_children(self, contact) -> list[dict]:
        return [
            {
                "id": c.pk,
                "person": c.person_id,
                "name": c.name,
                "age_years": c.age_years,
                "sex": c.sex,
                "location": c.location.code if c.location_id else None,
            }
            for c in contact.children.all()
        ]

    def get_perpetrators(self, contact) -> list[dict]:
        return [
            {
                "id": p.pk,
                "person": p.person_id,
                "description": p.description,
                "relationship": p.relationship,
                "lives_with_child": p.lives_with_child,
                "sex": p.sex,
            }
            for p in contact.perpetrators.all()
        ]

    def get_actions(self, contact) -> list[str]:
        return [a.action for a in contact.actions.all()]

    def get_vulnerable_groups(self, contact) -> list[str]:
        return [v.group for v in contact.vulnerabilities.all()]


SIMPLE = [
    "call_type",
    "channel",
    "started_at",
    "ended_at",
    "caller_anonymous",
    "caller_kind",
    "caller_relationship",
    "caller_name",
    "caller_phone",
    "caller_age",
    "caller_sex",
    "caller_location",
    "urgency",
    "outcome",
    "narrative",
    "callback_requested",
    "callback_at",
    "callback_number",
    "callback_consent",
]


class ContactWriteSerializer(PrebuiltSerializer):
    """A contact as sent by a client; categories by code, places by NSO code."""

    call_type = serializers.ChoiceField(choices=CallType.choices[:-1], required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    started_at = serializers.DateTimeField(required=False)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    caller_anonymous = serializers.BooleanField(required=False)
    caller_kind = serializers.ChoiceField(choices=CallerKind.choices, required=False)
    caller_relationship = serializers.ChoiceField(
        choices=Relationship.choices, required=False, allow_blank=True
    )
    caller_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    caller_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    caller_age = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    caller_sex = serializers.ChoiceField(choices=ChildSex.choices, required=False)
    # Places by code, read together with the children's in `to_data` (one query).
    caller_location = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=20
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    narrative = serializers.CharField(required=False, allow_blank=True)
    callback_requested = serializers.BooleanField(required=False)
    callback_at = serializers.DateTimeField(required=False, allow_null=True)
    callback_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    callback_consent = serializers.BooleanField(required=False)
    primary_category = serializers.CharField(required=False, allow_null=True)
    categories = serializers.ListField(child=serializers.CharField(), required=False)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=ActionTaken.choices), required=False
    )
    vulnerable_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=VulnerableGroup.choices), required=False
    )
    children = ChildSerializer(many=True, required=False)
    perpetrators = PerpetratorSerializer(many=True, required=False)
    draft = serializers.BooleanField(
        required=False, default=False, help_text=_("Keep the contact open (a draft).")
    )

    def _phone(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalise_phone(value)
        except PhoneError as exc:
            raise serializers.ValidationError(exc.message) from exc

    def validate_caller_phone(self, value):
        return self._phone(value)

    def validate_callback_number(self, value):
        return self._phone(value)

    def to_data(self, *, version_id: int | None) -> ContactData:
        """The service's input; categories from taxonomy version `version_id`, or from the
        current one (None), each then carrying its version (no separate query for it)."""
        data = self.validated_data
        user = self.context["request"].user
        codes = list(data.get("categories", []))
        if data.get("primary_category"):
            codes.insert(0, data["primary_category"])
        categories = Category.objects.filter(code__in=codes)
        if version_id is None:
            categories = categories.filter(version__is_current=True).select_related("version")
        else:
            categories = categories.filter(version_id=version_id)
        found = {c.code: c for c in categories}
        missing = sorted(set(codes) - set(found))
        if missing:
            raise serializers.ValidationError({"categories": [f"unknown: {', '.join(missing)}"]})
        person_ids = {
            row["person"]
            for row in [*data.get("children", []), *data.get("perpetrators", [])]
            if row.get("person")
        }
        persons = {}
        if person_ids:  # most contacts name nobody from the registry: no visibility query
            persons = {p.pk: p for p in persons_visible_to(user).filter(pk__in=person_ids)}
        if person_ids - set(persons):
            raise serializers.ValidationError({"children": ["unknown person"]})
        place_codes = [c.get("location") for c in data.get("children", []) if c.get("location")]
        if data.get("caller_location"):
            place_codes.append(data["caller_location"])
        places = {loc.code: loc for loc in Location.objects.filter(code__in=place_codes)}
        if data.get("caller_location") and data["caller_location"] not in places:
            raise serializers.ValidationError({"caller_location": ["unknown place"]})
        children = None
        if "children" in data:
            children = []
            for row in data["children"]:
                if row.get("location") and row["location"] not in places:
                    raise serializers.ValidationError({"children": ["unknown place"]})
                children.append(
                    ChildInput(
                        id=row.get("id"),
                        person=persons.get(row.get("person")),
                        name=row.get("name", ""),
                        age_years=row.get("age_years"),
                        sex=row.get("sex", "U"),
                        location=places.get(row.get("location")),
                    )
                )
        perpetrators = None
        if "perpetrators" in data:
            perpetrators = [
                PerpetratorInput(
                    id=row.get("id"),
                    person=persons.get(row.get("person")),
                    description=row.get("description", ""),
                    relationship=row.get("relationship", ""),
                    lives_with_child=row.get("lives_with_child"),
                    sex=row.get("sex", "U"),
                )
                for row in data["perpetrators"]
            ]
        chosen = [found[c] for c in data.get("categories", [])]
        has_categories = "categories" in data or "primary_category" in data
        return ContactData(
            fields={
                k: places.get(data[k]) if k == "caller_location" else data[k]
                for k in SIMPLE
                if k in data
            },
            categories=chosen if has_categories else None,
            primary_category=found.get(data.get("primary_category") or ""),
            actions=data.get("actions"),
            vulnerable_groups=data.get("vulnerable_groups"),
            children=children,
            perpetrators=perpetrators,
        )


class QuickContactSerializer(PrebuiltSerializer):
    call_type = serializers.ChoiceField(choices=[(t.value, t.label) for t in NON_DATA_CALL_TYPES])
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default="phone")
    started_at = serializers.DateTimeField(required=False)
    contact = serializers.IntegerField(
        required=False, help_text=_("An open draft to classify (a call the telephony opened).")
    )


class EscalateSerializer(serializers.Serializer):
    confirm_new = serializers.BooleanField(required=False, default=False)


class LinkCaseSerializer(serializers.Serializer):
    case = serializers.IntegerField()


class EscalationSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "contact",
            "case",
            "case_number",
            "agency",
            "is_emergency",
            "level",
            "status",
            "raised_at",
            "deadline_at",
            "escalated_at",
            "acknowledged_at",
            "acknowledged_by",
            "ack_note",
            "is_overdue",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class CallbackDoneSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
