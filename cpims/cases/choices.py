from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment")
    COMPREHENSIVE_ASSESSMENT = "comprehensive_assessment", _("Comprehensive assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    IMPLEMENTATION = "implementation", _("Implementation")
    FOLLOW_UP = "follow_up", _("Follow-up and review")
    CLOSED = "closed", _("Closed")


class Risk(models.TextChoices):
    UNASSESSED = "unassessed", _("Not yet assessed")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Origin(models.TextChoices):
    HELPLINE = "helpline", _("Helpline contact")
    WALK_IN = "walk_in", _("Walk-in")
    POLICE = "police", _("Police (102)")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health facility")
    OUTREACH = "outreach", _("Outreach")
    OTHER_AGENCY = "other_agency", _("Another agency")
    SELF = "self", _("Self-referral")
    INSPECTION = "inspection", _("Inspection")


class Harm(models.TextChoices):
    """ICVAC top level (1–5, 9) plus other protection concerns."""

    VIOLENT_KILLING = "icvac1", _("Violent killing (ICVAC 1)")
    PHYSICAL = "icvac2", _("Physical violence (ICVAC 2)")
    SEXUAL = "icvac3", _("Sexual violence (ICVAC 3)")
    PSYCHOLOGICAL = "icvac4", _("Psychological violence (ICVAC 4)")
    NEGLECT = "icvac5", _("Neglect (ICVAC 5)")
    OTHER_VIOLENCE = "icvac9", _("Other violence (ICVAC 9)")
    CHILD_LABOUR = "child_labour", _("Child labour")
    JOCKEY_INJURY = "jockey_injury", _("Child jockey injury")
    SEPARATION = "separation", _("Separated or unaccompanied")
    CONFLICT_WITH_LAW = "conflict_with_law", _("In conflict with the law")
    ONLINE_HARM = "online_harm", _("Online harm")
    TRAFFICKING = "trafficking", _("Trafficking")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    OTHER = "other", _("Other concern")


class PersonRole(models.TextChoices):
    CAREGIVER = "caregiver", _("Caregiver")
    HOUSEHOLD = "household", _("Household member")
    REPORTER = "reporter", _("Reporter")
    PERPETRATOR = "perpetrator", _("Alleged perpetrator")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    TRANSFERRED = "transferred", _("Transferred")
    MOVED_AWAY = "moved_away", _("Moved away")
    TURNED_18 = "turned_18", _("Child turned 18")
    DEATH = "death", _("Death")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    OTHER = "other", _("Other")


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    SHARING = "sharing", _("Sharing with service providers")
    REFERRAL = "referral", _("Referral")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent given")
    CHILD_SAFETY = "child_safety", _("The child's safety (consent not possible)")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")


class ApprovalKind(models.TextChoices):
    PLAN = "plan", _("Case plan")
    CLOSURE = "closure", _("Closure")
    TRANSFER = "transfer", _("Transfer")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comment")


class TaskKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment")
    COMPREHENSIVE_ASSESSMENT = "comprehensive_assessment", _("Comprehensive assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    FOLLOW_UP = "follow_up", _("Follow-up visit or review")
    PLAN_ACTION = "plan_action", _("Case plan action")
    CONFERENCE_ACTION = "conference_action", _("Case conference action")
    APPROVAL = "approval", _("Approval")
