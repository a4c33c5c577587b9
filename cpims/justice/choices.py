from django.db import models
from django.utils.translation import gettext_lazy as _


# --- Justice ----------------------------------------------------------------------------------
class ReportChannel(models.TextChoices):
    LINE_102 = "line_102", _("Police line 102")
    STATION = "station", _("Police station")
    OTHER = "other", _("Other")


class PoliceStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    INVESTIGATING = "investigating", _("Under investigation")
    PROSECUTOR = "prosecutor", _("Sent to the prosecutor")
    CLOSED = "closed", _("Closed without charge")


class CourtOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISMISSED = "dismissed", _("Dismissed")
    RETURNED = "returned", _("Returned for further investigation")
    MEASURE = "measure", _("Measure ordered (child in conflict with the law)")


class InterviewPlace(models.TextChoices):
    CHILD_FRIENDLY_ROOM = "child_room", _("Child-friendly interview room")
    POLICE = "police", _("Police station")
    ONE_STOP = "one_stop", _("One-stop service centre")
    COURT = "court", _("Court")
    HOSPITAL = "hospital", _("Hospital")
    HOME = "home", _("Home")
    OTHER = "other", _("Other")


class LegalAidKind(models.TextChoices):
    CONSULTATION = "consultation", _("Legal consultation")
    REPRESENTATION = "representation", _("Representation in proceedings")
    DOCUMENTS = "documents", _("Help with documents")


class OffenceCategory(models.TextChoices):
    THEFT = "theft", _("Theft or robbery")
    VIOLENCE = "violence", _("Violence against a person")
    SEXUAL = "sexual", _("Sexual offence")
    DRUGS = "drugs", _("Alcohol or drugs")
    PROPERTY = "property", _("Damage to property")
    TRAFFIC = "traffic", _("Traffic offence")
    PUBLIC_ORDER = "public_order", _("Public order")
    OTHER = "other", _("Other")


class ConflictPath(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    DIVERSION = "diversion", _("Diversion")
    COURT = "court", _("Court measure")


class ConflictMeasure(models.TextChoices):
    WARNING = "warning", _("Warning")
    MEDIATION = "mediation", _("Mediation / restorative justice")
    COMMUNITY = "community", _("Community service")
    EDUCATIONAL = "educational", _("Educational or rehabilitation programme")
    PROBATION = "probation", _("Probation")
    SUSPENDED = "suspended", _("Suspended sentence")
    CUSTODY = "custody", _("Deprivation of liberty")
    OTHER = "other", _("Other")


class Compliance(models.TextChoices):
    COMPLIANT = "compliant", _("Complies")
    PARTIAL = "partial", _("Partly complies")
    NOT = "not", _("Does not comply")


# --- Domestic violence ------------------------------------------------------------------------
class AssessmentKind(models.TextChoices):
    POLICE_DANGER = "police_danger", _("Police danger assessment")
    SITUATION = "situation", _("Social worker's situation assessment")


class DangerLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class OrderKind(models.TextChoices):
    PROTECTION = "protection", _("Protection order")
    EMERGENCY = "emergency", _("Emergency protection order")
    RESTRAINING = "restraining", _("Restraining measure (no contact / keep away)")
    REMOVAL = "removal", _("Removal of the perpetrator from the home")
    OTHER = "other", _("Other measure")


class IssuingBody(models.TextChoices):
    POLICE = "police", _("Police")
    COURT = "court", _("Court")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    OTHER = "other", _("Other")


class StayReason(models.TextChoices):
    DV_DANGER = "dv_danger", _("High danger of domestic violence")
    ABUSE = "abuse", _("Abuse or neglect at home")
    NO_CAREGIVER = "no_caregiver", _("No safe caregiver")
    EXAMINATION = "examination", _("Examination and crisis support")
    OTHER = "other", _("Other")


# --- Child labour and child jockeys -----------------------------------------------------------
class InspectionKind(models.TextChoices):
    HORSE_RACE = "horse_race", _("Horse race")
    WORKPLACE = "workplace", _("Workplace")
    OTHER = "other", _("Other monitoring visit")


class Season(models.TextChoices):
    WINTER = "winter", _("Winter (Dec–Feb)")
    SPRING = "spring", _("Spring (Mar–May)")
    SUMMER = "summer", _("Summer (Jun–Aug)")
    AUTUMN = "autumn", _("Autumn (Sep–Nov)")


SEASON_OF_MONTH = {
    12: Season.WINTER,
    1: Season.WINTER,
    2: Season.WINTER,
    3: Season.SPRING,
    4: Season.SPRING,
    5: Season.SPRING,
    6: Season.SUMMER,
    7: Season.SUMMER,
    8: Season.SUMMER,
    9: Season.AUTUMN,
    10: Season.AUTUMN,
    11: Season.AUTUMN,
}
