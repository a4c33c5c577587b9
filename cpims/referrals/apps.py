from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "cpims.referrals"
    verbose_name = "Services and referrals"
