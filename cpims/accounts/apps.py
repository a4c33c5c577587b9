from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cpims.accounts"
    verbose_name = "Users and roles"

    def ready(self):
        from cpims.accounts import schema  # noqa: F401  (registers the OpenAPI extension)
