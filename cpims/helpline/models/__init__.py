from cpims.helpline.models.contact import (
    Contact,
    ContactAction,
    ContactCategory,
    ContactChild,
    ContactPerpetrator,
    ContactVulnerability,
)
from cpims.helpline.models.escalation import (
    CounsellorExtension,
    Escalation,
    IntegrationToken,
    TelephonyEvent,
)
from cpims.helpline.models.taxonomy import Category, TaxonomyVersion, current_version

__all__ = [
    "Category",
    "Contact",
    "ContactAction",
    "ContactCategory",
    "ContactChild",
    "ContactPerpetrator",
    "ContactVulnerability",
    "CounsellorExtension",
    "Escalation",
    "IntegrationToken",
    "TaxonomyVersion",
    "TelephonyEvent",
    "current_version",
]
