from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "cpims.registry"
    verbose_name = "Person registry"
