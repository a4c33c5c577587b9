from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "cpims.jobs"
    verbose_name = "Background jobs"
