from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "cpims.workforce"
    verbose_name = "Workforce and capacity"
