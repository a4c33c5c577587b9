from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Service levels of the 2022 financing order; the finance module costs by these."""

    PREVENTION = "prevention", _("Prevention")
    EMERGENCY = "emergency", _("Emergency")
    PROTECTION = "protection", _("Protection")
    REHABILITATION = "rehabilitation", _("Rehabilitation")


class Unit(models.TextChoices):
    NIGHT = "night", _("night of shelter or care")
    SESSION = "session", _("session")
    EXAMINATION = "examination", _("examination")
    CONSULTATION = "consultation", _("consultation")
    DAY = "day", _("day")
    MNT = "mnt", _("tögrög (MNT)")
    ITEM = "item", _("item or package")


class ServiceType(models.TextChoices):
    SHELTER = "shelter", _("Emergency shelter / temporary care")
    ONE_STOP = "one_stop", _("One-stop service centre")
    MEDICAL = "medical", _("Medical examination and treatment")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support and counselling")
    LEGAL_AID = "legal_aid", _("Legal aid")
    POLICE = "police", _("Police protection")
    EDUCATION = "education", _("Education support")
    FAMILY_SUPPORT = "family_support", _("Family support and parenting")
    ALTERNATIVE_CARE = "alternative_care", _("Alternative care (kinship, foster, residential)")
    FINANCIAL = "financial", _("Financial or material assistance")
    REHABILITATION = "rehabilitation", _("Rehabilitation and reintegration")
    ONLINE_HARM = "online_harm", _("Online-harm support")


# The unit each service type is delivered and costed in, and its default level.
TYPE_UNIT: dict[str, str] = {
    ServiceType.SHELTER: Unit.NIGHT,
    ServiceType.ONE_STOP: Unit.DAY,
    ServiceType.MEDICAL: Unit.EXAMINATION,
    ServiceType.PSYCHOSOCIAL: Unit.SESSION,
    ServiceType.LEGAL_AID: Unit.CONSULTATION,
    ServiceType.POLICE: Unit.DAY,
    ServiceType.EDUCATION: Unit.SESSION,
    ServiceType.FAMILY_SUPPORT: Unit.SESSION,
    ServiceType.ALTERNATIVE_CARE: Unit.NIGHT,
    ServiceType.FINANCIAL: Unit.MNT,
    ServiceType.REHABILITATION: Unit.SESSION,
    ServiceType.ONLINE_HARM: Unit.SESSION,
}
TYPE_LEVEL: dict[str, str] = {
    ServiceType.SHELTER: Level.EMERGENCY,
    ServiceType.ONE_STOP: Level.EMERGENCY,
    ServiceType.MEDICAL: Level.EMERGENCY,
    ServiceType.POLICE: Level.EMERGENCY,
    ServiceType.PSYCHOSOCIAL: Level.PROTECTION,
    ServiceType.LEGAL_AID: Level.PROTECTION,
    ServiceType.ALTERNATIVE_CARE: Level.PROTECTION,
    ServiceType.FINANCIAL: Level.PROTECTION,
    ServiceType.ONLINE_HARM: Level.PROTECTION,
    ServiceType.EDUCATION: Level.REHABILITATION,
    ServiceType.REHABILITATION: Level.REHABILITATION,
    ServiceType.FAMILY_SUPPORT: Level.PREVENTION,
}


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


class Status(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    OUT_OF_AREA = "out_of_area", _("Outside the area served")
    OTHER = "other", _("Other")


class Topic(models.TextChoices):
    ONLINE_SAFETY = "online_safety", _("Online child protection")
    PARENTING = "parenting", _("Parenting")
    VIOLENT_DISCIPLINE = "violent_discipline", _("Violent discipline")
    JOCKEY_SAFETY = "jockey_safety", _("Child jockey safety")
    CHILD_RIGHTS = "child_rights", _("Child rights")
    OTHER = "other", _("Other")
