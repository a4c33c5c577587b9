from django.utils.translation import gettext_lazy as _

LABELS = {
    "cases.registered": _("Case registered"),
    "cases.first_response": _("First response"),
    "cases.initial_assessment": _("Initial assessment"),
    "cases.comprehensive_assessment": _("Comprehensive assessment"),
    "cases.plan_submitted": _("Case plan submitted"),
    "cases.plan_approved": _("Case plan approved"),
    "cases.approval_decided": _("Approval decided"),
    "cases.follow_up": _("Follow-up"),
    "cases.measure_recorded": _("Emergency measure"),
    "cases.conference_held": _("Case conference"),
    "cases.closure_requested": _("Closure requested"),
    "cases.closed": _("Case closed"),
    "cases.reopened": _("Case reopened"),
    "cases.transfer_requested": _("Transfer requested"),
    "cases.transferred": _("Transferred"),
    "cases.note_added": _("Note"),
    "cases.consent_recorded": _("Consent recorded"),
    "cases.consent_withdrawn": _("Consent withdrawn"),
    "cases.harms_set": _("Harm classified"),
    "cases.assigned": _("Worker assigned"),
    "cases.attachment_added": _("File attached"),
    "cases.attachment_downloaded": _("File downloaded"),
    "cases.details_updated": _("Details edited"),
    "cases.overdue_escalated": _("Overdue step escalated to the supervisor"),
    "cases.child_added": _("Child added"),
    "cases.person_added": _("Person added"),
    "cases.referral_sent": _("Referral sent"),
    "cases.referral_received": _("Referral received by the provider"),
    "cases.referral_accepted": _("Referral accepted"),
    "cases.referral_declined": _("Referral declined"),
    "cases.referral_in_progress": _("Service started"),
    "cases.referral_completed": _("Service completed"),
    "cases.referral_not_completed": _("Service not completed"),
    "cases.referral_withdrawn": _("Referral withdrawn"),
    "cases.referral_overdue": _("Referral not answered in time"),
    "cases.service_delivered": _("Service delivered"),
}


def label_for(action: str) -> str:
    return str(LABELS.get(action, action))
