"""Everything under /api/v1/. Each domain registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from cpims.accounts.api import AgencyViewSet, RoleViewSet, UserViewSet, me
from cpims.audit.api import AuditEventViewSet
from cpims.cases.api import ApprovalViewSet, CaseViewSet, TaskViewSet
from cpims.geo.api import LocationViewSet
from cpims.helpline.api import ContactViewSet
from cpims.helpline.api_misc import (
    CallbackViewSet,
    CategoryViewSet,
    EscalationViewSet,
    TelephonyEventView,
)
from cpims.referrals.api import ActivityViewSet, DeliveryViewSet, ReferralViewSet, ServiceViewSet
from cpims.registry.api import MergeViewSet, PersonViewSet, RegnoViewSet

router = DefaultRouter()
router.include_root_view = False
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
router.register("person-merges", MergeViewSet, basename="person-merge")
router.register("registration-numbers", RegnoViewSet, basename="registration-number")
router.register("contacts", ContactViewSet, basename="contact")
router.register("taxonomy", CategoryViewSet, basename="category")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("callbacks", CallbackViewSet, basename="callback")

urlpatterns = [
    path("me/", me, name="me"),
    path("telephony/events", TelephonyEventView.as_view(), name="telephony-events"),
    path("", include(router.urls)),
]
