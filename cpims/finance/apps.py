from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "cpims.finance"
    verbose_name = "Finance"
