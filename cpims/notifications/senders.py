"""Where copies of notifications go outside the app. Pluggable: CPIMS_NOTIFICATION_SENDER names
a class with `send(*, user, message, link)`; the default writes to the log."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger("cpims.notifications")


class LogSender:
    def send(self, *, user, message: str, link: str) -> None:
        log.info("notify %s: %s %s", user.username, message, link)


class EmailSender:
    def send(self, *, user, message: str, link: str) -> None:
        if user.email:
            send_mail("CPIMS", f"{message}\n{link}", None, [user.email])


def sender():
    return import_string(
        getattr(settings, "CPIMS_NOTIFICATION_SENDER", "cpims.notifications.senders.LogSender")
    )()
