from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Central budget")
    LOCAL = "local", _("Local budget")
    PARTNER = "partner", _("Development partner")
    NGO = "ngo", _("NGO")


class Programme(models.TextChoices):
    """Budget programmes: the four service levels of the 2022 order, then the support lines."""

    EMERGENCY = "emergency", _("Emergency")
    PROTECTION = "protection", _("Protection")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    PREVENTION = "prevention", _("Prevention")
    HELPLINE = "helpline", _("Helpline")
    WORKFORCE = "workforce", _("Workforce")
    ADMINISTRATION = "administration", _("Administration")


# The programmes that service deliveries are costed under (a delivery's level).
SERVICE_LEVELS: list[str] = [
    Programme.EMERGENCY,
    Programme.PROTECTION,
    Programme.REHABILITATION,
    Programme.PREVENTION,
]


class Quarter(models.IntegerChoices):
    Q1 = 1, _("Q1")
    Q2 = 2, _("Q2")
    Q3 = 3, _("Q3")
    Q4 = 4, _("Q4")
