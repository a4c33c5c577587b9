from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cpims.accounts"
    verbose_name = "Users and roles"
