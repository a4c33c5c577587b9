from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cpims.notifications"
    verbose_name = "Notifications"
