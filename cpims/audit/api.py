from rest_framework import serializers, viewsets

from cpims.audit.models import AuditEvent
from cpims.audit.selectors import audit_events_search
from cpims.core.access import HasCapability
from cpims.core.pagination import CappedLimitOffsetPagination


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "at",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "ip",
            "path",
            "changes",
            "hash",
        ]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, read-only, for auditors. Filters: actor, action, object_type, object_id."""

    serializer_class = AuditEventSerializer
    permission_classes = [HasCapability]
    required_capability = "audit.view"
    pagination_class = CappedLimitOffsetPagination

    def get_queryset(self):
        params = self.request.query_params
        return audit_events_search(
            user=self.request.user,
            actor=params.get("actor", ""),
            action=params.get("action", ""),
            object_type=params.get("object_type", ""),
            object_id=params.get("object_id", ""),
        )
