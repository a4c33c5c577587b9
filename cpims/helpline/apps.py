from django.apps import AppConfig


class HelplineConfig(AppConfig):
    name = "cpims.helpline"
    verbose_name = "Helpline"
