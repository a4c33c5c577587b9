from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cpims.reports"
    label = "reports"
    verbose_name = "Monitoring and indicators"
