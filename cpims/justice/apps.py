from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "cpims.justice"
    verbose_name = "Justice, domestic violence and child labour"
