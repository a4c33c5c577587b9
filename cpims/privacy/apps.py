from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "cpims.privacy"
    verbose_name = "Privacy"
