"""Everything under /api/v1/. Each domain registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from cpims.accounts.api import AgencyViewSet, RoleViewSet, UserViewSet, me
from cpims.audit.api import AuditEventViewSet
from cpims.cases.api import ApprovalViewSet, CaseViewSet, TaskViewSet
from cpims.finance.api import (
    BudgetLineViewSet,
    BudgetTotalViewSet,
    ImportViewSet,
    MultiplierViewSet,
    PopulationViewSet,
    UnitCostViewSet,
)
from cpims.finance.api_planning import AllocationViewSet, ScenarioViewSet
from cpims.finance.api_reports import CostsViewSet, DashboardViewSet, GapViewSet
from cpims.geo.api import LocationViewSet
from cpims.helpline.api import ContactViewSet
from cpims.helpline.api_misc import (
    CallbackViewSet,
    CategoryViewSet,
    EscalationViewSet,
    TelephonyEventView,
)
from cpims.justice import api as justice_api
from cpims.justice.api_labour import (
    FoundChildViewSet,
    InspectionViewSet,
    JockeyReportView,
    SectorCountsView,
)
from cpims.referrals.api import ActivityViewSet, DeliveryViewSet, ReferralViewSet, ServiceViewSet
from cpims.registry.api import MergeViewSet, PersonViewSet, RegnoViewSet
from cpims.reports.api import IndicatorListView, IndicatorValueView
from cpims.workforce import api as workforce_api

router = DefaultRouter()
router.include_root_view = False
# Contacts first: the most frequent writes, and patterns are tried in order.
router.register("contacts", ContactViewSet, basename="contact")
router.register("locations", LocationViewSet, basename="location")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("users", UserViewSet, basename="user")
router.register("roles", RoleViewSet, basename="role")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("persons", PersonViewSet, basename="person")
router.register("cases", CaseViewSet, basename="case")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("tasks", TaskViewSet, basename="task")
router.register("services", ServiceViewSet, basename="service")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("activities", ActivityViewSet, basename="activity")
router.register("finance/budget-lines", BudgetLineViewSet, basename="finance-budget-line")
router.register("finance/budget-totals", BudgetTotalViewSet, basename="finance-budget-total")
router.register("finance/unit-costs", UnitCostViewSet, basename="finance-unit-cost")
router.register("finance/area-multipliers", MultiplierViewSet, basename="finance-multiplier")
router.register("finance/child-population", PopulationViewSet, basename="finance-population")
router.register("finance/scenarios", ScenarioViewSet, basename="finance-scenario")
router.register("finance/allocations", AllocationViewSet, basename="finance-allocation")
router.register("finance/dashboard", DashboardViewSet, basename="finance-dashboard")
router.register("finance/costs", CostsViewSet, basename="finance-costs")
router.register("finance/gap", GapViewSet, basename="finance-gap")
router.register("finance/imports", ImportViewSet, basename="finance-import")
router.register("person-merges", MergeViewSet, basename="person-merge")
router.register("registration-numbers", RegnoViewSet, basename="registration-number")
router.register("taxonomy", CategoryViewSet, basename="category")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("callbacks", CallbackViewSet, basename="callback")
router.register("justice/cases", justice_api.JusticeCaseViewSet, basename="justice-case")
router.register(
    "justice/police-reports", justice_api.PoliceReportViewSet, basename="justice-police-report"
)
router.register("justice/court-cases", justice_api.CourtCaseViewSet, basename="justice-court-case")
router.register("justice/hearings", justice_api.HearingViewSet, basename="justice-hearing")
router.register("justice/interviews", justice_api.InterviewViewSet, basename="justice-interview")
router.register("justice/legal-aid", justice_api.LegalAidViewSet, basename="justice-legal-aid")
router.register(
    "justice/conflict-records", justice_api.ConflictViewSet, basename="justice-conflict"
)
router.register("dv/cases", justice_api.DvCaseViewSet, basename="dv-case")
router.register("dv/protection-orders", justice_api.ProtectionOrderViewSet, basename="dv-order")
router.register("dv/shelter-stays", justice_api.ShelterStayViewSet, basename="dv-stay")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("inspection-children", FoundChildViewSet, basename="inspection-child")
router.register("workforce/staff", workforce_api.StaffViewSet, basename="workforce-staff")
router.register("workforce/courses", workforce_api.CourseViewSet, basename="workforce-course")
router.register(
    "workforce/training-sessions",
    workforce_api.TrainingSessionViewSet,
    basename="workforce-training-session",
)
router.register(
    "workforce/supervision-sessions",
    workforce_api.SupervisionViewSet,
    basename="workforce-supervision",
)

urlpatterns = [
    path("me/", me, name="me"),
    path("telephony/events", TelephonyEventView.as_view(), name="telephony-events"),
    path("reports/child-jockeys/", JockeyReportView.as_view(), name="report-child-jockeys"),
    path("reports/justice-counts/", SectorCountsView.as_view(), name="report-justice-counts"),
    path(
        "workforce/indicators/", workforce_api.IndicatorsView.as_view(), name="workforce-indicators"
    ),
    path("indicators/", IndicatorListView.as_view(), name="indicator-list"),
    path("indicators/<str:code>/", IndicatorValueView.as_view(), name="indicator-value"),
    path("", include(router.urls)),
]
