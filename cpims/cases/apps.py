from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cpims.cases"
    verbose_name = "Case management"
