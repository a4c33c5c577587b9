from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from cpims.audit.models import AuditEvent


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    if not (user.is_authenticated and user.has_capability("audit.view")):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def audit_events_search(
    *,
    user,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = audit_events_visible_to(user)
    if actor:
        events = events.filter(actor_label=actor)
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        events = events.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return events.order_by("-seq")
