from cpims.justice.models.dv import (
    DangerAssessment,
    OrderViolation,
    ProtectionOrder,
    ShelterStay,
)
from cpims.justice.models.justice import (
    ConflictRecord,
    CourtCase,
    ForensicInterview,
    Hearing,
    LegalAid,
    PoliceReport,
    ProbationVisit,
)
from cpims.justice.models.labour import Inspection, InspectionChild, RestrictedPeriod

__all__ = [
    "ConflictRecord",
    "CourtCase",
    "DangerAssessment",
    "ForensicInterview",
    "Hearing",
    "Inspection",
    "InspectionChild",
    "LegalAid",
    "OrderViolation",
    "PoliceReport",
    "ProbationVisit",
    "ProtectionOrder",
    "RestrictedPeriod",
    "ShelterStay",
]
