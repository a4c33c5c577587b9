from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cpims.core"
    verbose_name = "Core"
