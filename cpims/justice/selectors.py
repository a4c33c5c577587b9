"""Reading justice, domestic-violence and inspection records: one selector per record type.

Justice records are a restricted section: they are visible only with the capability
`justice.view`, and then only on cases the user can see (`cases_visible_to`). Pages, the API
and exports all read through these functions, so they cannot disagree."""

from collections import Counter

from django.conf import settings
from django.db.models import Q, QuerySet

from cpims.cases.models import Case
from cpims.cases.selectors import cases_visible_to
from cpims.justice.models import (
    ConflictRecord,
    CourtCase,
    DangerAssessment,
    ForensicInterview,
    Hearing,
    Inspection,
    InspectionChild,
    LegalAid,
    OrderViolation,
    PoliceReport,
    ProbationVisit,
    ProtectionOrder,
    ShelterStay,
)

JUSTICE_CAPABILITY = "justice.view"


def can_view_justice(user) -> bool:
    return bool(user and user.is_authenticated and user.has_capability(JUSTICE_CAPABILITY))


def justice_cases_visible_to(user) -> QuerySet[Case]:
    """Cases whose justice section the user may read: visible cases, with the grant."""
    if not can_view_justice(user):
        return Case.objects.none()
    return cases_visible_to(user)


def _on_justice_cases(model, user, field: str = "case", visible=None) -> QuerySet:
    """`visible` is the reader's own `justice_cases_visible_to(user)` when a page has it already
    (its lookups done once per page, not once per record type); never a wider set."""
    ids = (justice_cases_visible_to(user) if visible is None else visible).values("pk")
    return model.objects.filter(**{f"{field}__in": ids})


def police_reports_visible_to(
    user, *, visible: QuerySet[Case] | None = None
) -> QuerySet[PoliceReport]:
    return _on_justice_cases(PoliceReport, user, visible=visible)


def court_cases_visible_to(user, *, visible: QuerySet[Case] | None = None) -> QuerySet[CourtCase]:
    return _on_justice_cases(CourtCase, user, visible=visible).select_related("accompanying_worker")


def hearings_visible_to(user) -> QuerySet[Hearing]:
    return _on_justice_cases(Hearing, user, "court_case__case").select_related(
        "court_case", "court_case__case"
    )


def interviews_visible_to(
    user, *, visible: QuerySet[Case] | None = None
) -> QuerySet[ForensicInterview]:
    return _on_justice_cases(ForensicInterview, user, visible=visible).select_related("child")


def legal_aid_visible_to(user, *, visible: QuerySet[Case] | None = None) -> QuerySet[LegalAid]:
    return _on_justice_cases(LegalAid, user, visible=visible)


def conflict_records_visible_to(
    user, *, visible: QuerySet[Case] | None = None
) -> QuerySet[ConflictRecord]:
    return _on_justice_cases(ConflictRecord, user, visible=visible).select_related("child")


def probation_visits_visible_to(user) -> QuerySet[ProbationVisit]:
    return _on_justice_cases(ProbationVisit, user, "record__case")


def interview_counts(interviews) -> list[dict]:
    """Interviews per child (a safeguarding indicator: fewer is better), flagged above
    CPIMS_INTERVIEWS_PER_CHILD_MAX."""
    limit = settings.CPIMS_INTERVIEWS_PER_CHILD_MAX
    counts = Counter(i.child for i in interviews)
    return [
        {"child": child, "count": n, "too_many": n > limit}
        for child, n in sorted(counts.items(), key=lambda kv: kv[0].pk)
    ]


def justice_section(user, case: Case) -> dict | None:
    """Everything in the justice section of one case, or None without the grant."""
    visible = justice_cases_visible_to(user)  # the reader's lookups, once for the section
    if not visible.filter(pk=case.pk).exists():
        return None
    interviews = list(interviews_visible_to(user, visible=visible).filter(case=case))
    conflict = list(
        conflict_records_visible_to(user, visible=visible)
        .filter(case=case)
        .prefetch_related("visits")
    )
    return {
        "police_reports": list(police_reports_visible_to(user, visible=visible).filter(case=case)),
        "court_cases": list(
            court_cases_visible_to(user, visible=visible)
            .filter(case=case)
            .prefetch_related("hearings")
        ),
        "interviews": interviews,
        "interview_counts": interview_counts(interviews),
        "legal_aid": list(legal_aid_visible_to(user, visible=visible).filter(case=case)),
        "conflict_records": conflict,
    }


# --- Domestic violence: visible with the case ----------------------------------------------
def _on_visible_cases(model, user, field: str = "case", visible=None) -> QuerySet:
    """`visible`: the reader's own `cases_visible_to(user)` when a page has it already."""
    ids = (cases_visible_to(user) if visible is None else visible).values("pk")
    return model.objects.filter(**{f"{field}__in": ids})


def dv_assessments_visible_to(
    user, *, visible: QuerySet[Case] | None = None
) -> QuerySet[DangerAssessment]:
    return _on_visible_cases(DangerAssessment, user, visible=visible)


def protection_orders_visible_to(
    user, *, visible: QuerySet[Case] | None = None
) -> QuerySet[ProtectionOrder]:
    return _on_visible_cases(ProtectionOrder, user, visible=visible).select_related("case")


def order_violations_visible_to(user) -> QuerySet[OrderViolation]:
    return _on_visible_cases(OrderViolation, user, "order__case")


def shelter_stays_visible_to(
    user, *, visible: QuerySet[Case] | None = None
) -> QuerySet[ShelterStay]:
    return _on_visible_cases(ShelterStay, user, visible=visible).select_related(
        "service", "child", "delivery"
    )


def dv_section(user, case: Case) -> dict:
    visible = cases_visible_to(user)  # the reader's lookups, once for the section
    return {
        "assessments": list(dv_assessments_visible_to(user, visible=visible).filter(case=case)),
        "orders": list(
            protection_orders_visible_to(user, visible=visible)
            .filter(case=case)
            .prefetch_related("violations")
        ),
        "stays": list(shelter_stays_visible_to(user, visible=visible).filter(case=case)),
    }


# --- Inspections: by place ------------------------------------------------------------------
def inspections_visible_to(user) -> QuerySet[Inspection]:
    """Inspections hold counts; case workers and analysts see those inside their scope."""
    if not (user and user.is_authenticated and user.scope_id):
        return Inspection.objects.none()
    if not (user.has_capability("cases.view") or user.has_capability("reports.aggregate")):
        return Inspection.objects.none()
    return Inspection.objects.filter(location__path__startswith=user.scope.path).select_related(
        "location", "inspected_by"
    )


def found_children_visible_to(user) -> QuerySet[InspectionChild]:
    """The named children found at inspections are personal data: registry readers only."""
    if not (user and user.is_authenticated and user.has_capability("registry.view")):
        return InspectionChild.objects.none()
    return InspectionChild.objects.filter(
        inspection__in=inspections_visible_to(user).values("pk")
    ).select_related("inspection", "case", "person", "home")


def inspections_editable_by(user) -> QuerySet[Inspection]:
    if not (user and user.is_authenticated and user.has_capability("cases.edit")):
        return Inspection.objects.none()
    return inspections_visible_to(user)


def upcoming_hearings_for(user) -> QuerySet[Hearing]:
    """Hearings ahead where the user accompanies the child (or is the case worker)."""
    from django.utils import timezone

    mine = Q(court_case__accompanying_worker=user) | Q(court_case__case__assigned_worker=user)
    return (
        hearings_visible_to(user)
        .filter(mine, cancelled=False, scheduled_at__gte=timezone.now())
        .order_by("scheduled_at")
    )
