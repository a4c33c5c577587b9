from cpims.jobs.registry import task
from cpims.notifications.models import Notification
from cpims.notifications.senders import sender


@task(name="notifications.deliver")
def notification_deliver(*, notification_id: int) -> None:
    """Send the outside copy (e-mail/SMS/log) of an in-app notification; retried on failure."""
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    sender().send(user=notification.user, message=notification.message, link=notification.link)
