from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffKind(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Child and family social worker")
    SUPERVISOR = "supervisor", _("Supervisor / child protection officer")
    MDT_MEMBER = "mdt_member", _("MDT member")
    COUNSELLOR = "counsellor", _("Helpline counsellor")
    POLICE = "police", _("Police focal point")
    HEALTH = "health", _("Health focal point")
    OTHER = "other", _("Other")


class Qualification(models.TextChoices):
    SOCIAL_WORK_DEGREE = "sw_degree", _("Degree in social work")
    RELATED_DEGREE = "related_degree", _("Degree in a related field")
    CERTIFICATE = "certificate", _("Certificate course")
    NONE = "none", _("No formal qualification")


class Topic(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    DOMESTIC_VIOLENCE = "dv", _("Domestic violence")
    JUSTICE = "justice", _("Child-friendly justice and forensic interviewing")
    CHILD_LABOUR = "child_labour", _("Child labour and child jockeys")
    SUPERVISION = "supervision", _("Professional supervision")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    HELPLINE = "helpline", _("Helpline counselling")
    OTHER = "other", _("Other")


class SupervisionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    PEER = "peer", _("Peer")
