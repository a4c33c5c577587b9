from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cpims.notifications.models import Notification
from cpims.notifications.tasks import notification_deliver


@transaction.atomic
def notify(
    *, users: Iterable, kind: str, message: str, link: str = "", obj=None
) -> list[Notification]:
    """In-app notifications, plus a delivery job each (enqueued in the same transaction)."""
    object_type = f"{obj._meta.app_label}.{obj.__class__.__name__}" if obj is not None else ""
    created = []
    for user in {u.pk: u for u in users if u is not None}.values():
        note = Notification.objects.create(
            user=user,
            kind=kind,
            message=message[:500],
            link=link,
            object_type=object_type,
            object_id=str(obj.pk) if obj is not None else "",
        )
        notification_deliver.enqueue(notification_id=note.pk)
        created.append(note)
    return created


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
