"""The closed lists of the helpline contact record (the open list — categories — is data)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Bumped when the contact form gains or loses a question; stored on every contact.
FORM_VERSION = "2025.1"


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WEB_CHAT = "web_chat", _("Web chat")
    SOCIAL_MEDIA = "social_media", _("Social media")
    EMAIL = "email", _("E-mail")
    WALK_IN = "walk_in", _("Walk-in")
    OUTREACH = "outreach", _("Outreach")


class CallType(models.TextChoices):
    DATA = "data", _("Counselling or information (full record)")
    SILENT = "silent", _("Silent")
    BLANK = "blank", _("Blank")
    PRANK = "prank", _("Joke or prank")
    HANG_UP = "hang_up", _("Hang-up")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    ABUSIVE = "abusive", _("Abusive")
    TEST = "test", _("Test")
    UNANSWERED = "unanswered", _("Not answered")


# Saved with one click, counted, no form. UNANSWERED is set by the telephony link only.
NON_DATA_CALL_TYPES = [
    CallType.SILENT,
    CallType.BLANK,
    CallType.PRANK,
    CallType.HANG_UP,
    CallType.WRONG_NUMBER,
    CallType.ABUSIVE,
    CallType.TEST,
]


class Status(models.TextChoices):
    DRAFT = "draft", _("In progress")
    COMPLETED = "completed", _("Completed")
    DISCARDED = "discarded", _("Discarded")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    EMERGENCY = "emergency", _("Emergency: the child is in danger now")


class Outcome(models.TextChoices):
    COUNSELLED = "counselled", _("Counselled, no further action")
    INFORMATION = "information", _("Information given")
    REFERRED = "referred", _("Referred to a service")
    CASE_CREATED = "case_created", _("Handed to the local team (new case)")
    CASE_LINKED = "case_linked", _("Added to an existing case")
    EMERGENCY_DISPATCHED = "emergency_dispatched", _("Emergency services dispatched")
    CALLBACK_PLANNED = "callback_planned", _("Callback planned")
    DISCONNECTED = "disconnected", _("Caller disconnected")
    OTHER = "other", _("Other")


class CallerKind(models.TextChoices):
    CHILD = "child", _("A child")
    ADULT = "adult", _("An adult")
    UNKNOWN = "unknown", _("Unknown")


class Relationship(models.TextChoices):
    SELF = "self", _("The child themself")
    PARENT = "parent", _("Parent")
    STEP_PARENT = "step_parent", _("Step-parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    PARTNER = "partner", _("Partner")
    FRIEND = "friend", _("Friend or peer")
    NEIGHBOUR = "neighbour", _("Neighbour")
    TEACHER = "teacher", _("Teacher or school staff")
    EMPLOYER = "employer", _("Employer")
    PROFESSIONAL = "professional", _("Professional (health, police, social work)")
    ONLINE_CONTACT = "online_contact", _("Someone met online")
    STRANGER = "stranger", _("Stranger")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class ChildSex(models.TextChoices):
    """The CHI framework's four values (the registry keeps M/F/U)."""

    BOY = "M", _("Boy")
    GIRL = "F", _("Girl")
    NON_BINARY = "N", _("Non-binary")
    UNKNOWN = "U", _("Unknown")


class VulnerableGroup(models.TextChoices):
    DISABILITY = "disability", _("Child with a disability")
    STREET = "street", _("Child in a street situation")
    RESIDENTIAL_CARE = "residential_care", _("Child in residential care")
    HERDER = "herder", _("Herder family or remote rural area")
    MIGRANT = "migrant", _("Migrant or displaced child")
    SINGLE_PARENT = "single_parent", _("Single-parent household")
    POVERTY = "poverty", _("Household in poverty")
    CONFLICT_WITH_LAW = "conflict_with_law", _("Child in conflict with the law")
    NO_DOCUMENTS = "no_documents", _("Child without documents")
    JOCKEY = "jockey", _("Child jockey")
    LGBTQI = "lgbtqi", _("LGBTQI+ child")


class ActionTaken(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling (direct intervention)")
    INFORMATION = "information", _("Information and resources")
    REFERRAL_CHILD_PROTECTION = "referral_cp", _("Referral: child protection")
    REFERRAL_HEALTH = "referral_health", _("Referral: health")
    REFERRAL_POLICE = "referral_police", _("Referral: police")
    REFERRAL_MENTAL_HEALTH = "referral_mental_health", _("Referral: mental health")
    REFERRAL_SCHOOL = "referral_school", _("Referral: school counsellor")
    REFERRAL_OTHER = "referral_other", _("Referral: other service")
    EMERGENCY_POLICE = "emergency_police", _("Emergency dispatch: police 102")
    EMERGENCY_AMBULANCE = "emergency_ambulance", _("Emergency dispatch: ambulance 103")
    ONLINE_HOTLINE = "online_hotline", _("Report to an online child-abuse hotline")


class Icvac(models.TextChoices):
    """Top level of UNICEF's International Classification of Violence against Children."""

    VIOLENT_KILLING = "1", _("1 Violent killing of a child")
    PHYSICAL = "2", _("2 Physical violence")
    SEXUAL = "3", _("3 Sexual violence")
    PSYCHOLOGICAL = "4", _("4 Psychological violence")
    NEGLECT = "5", _("5 Neglect")
    OTHER = "9", _("9 Other acts of violence not elsewhere classified")


class EscalationLevel(models.TextChoices):
    TEAM = "team", _("Local team")
    OFFICER = "officer", _("Aimag/district child protection officer")
    SUPERVISOR = "supervisor", _("Helpline supervisor")


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class TelephonyEventType(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ANSWERED = "answered", _("Answered")
    ENDED = "ended", _("Ended")


AGE_BANDS = [("0-5", 0, 5), ("6-9", 6, 9), ("10-12", 10, 12), ("13-15", 13, 15), ("16-18", 16, 18)]


def age_band(age: int | None) -> str:
    """CHI reporting bands; no age, or an age above 18, counts as unknown."""
    if age is None:
        return "unknown"
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return "unknown"
