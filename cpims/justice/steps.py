"""The justice and domestic-violence steps on a case, once: title, form and service call.
Pages POST to /justice/case/<id>/<name>/ (a GET there gives the empty form, fetched when the step
is opened), the API to /api/v1/case-sectors/<id>/<name>/; both validate with the same form and
call the same service.

Justice steps need `justice.view` as well as a case the user may edit."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from cpims.justice import dv, services
from cpims.justice import forms as jf
from cpims.justice import forms_dv as df

JUSTICE, DV = "justice", "dv"


@dataclass(frozen=True)
class Step:
    title: str
    form: type[forms.Form]
    run: Callable
    section: str


def _drop(data: dict, *names: str) -> dict:
    return {k: v for k, v in data.items() if k not in names}


STEPS: dict[str, Step] = {
    "police-report": Step(
        _("Police report"),
        jf.PoliceReportForm,
        lambda a, c, d: services.police_report_record(actor=a, case=c, **d),
        JUSTICE,
    ),
    "police-status": Step(
        _("Police status"),
        jf.PoliceStatusForm,
        lambda a, c, d: services.police_status_set(actor=a, **d),
        JUSTICE,
    ),
    "court-case": Step(
        _("Prosecution and court case"),
        jf.CourtCaseForm,
        lambda a, c, d: services.court_case_record(actor=a, case=c, **d),
        JUSTICE,
    ),
    "hearing": Step(
        _("Court hearing"),
        jf.HearingForm,
        lambda a, c, d: services.hearing_schedule(actor=a, **d),
        JUSTICE,
    ),
    "hearing-change": Step(
        _("Move or cancel a hearing"),
        jf.HearingChangeForm,
        lambda a, c, d: services.hearing_update(actor=a, **d),
        JUSTICE,
    ),
    "court-outcome": Step(
        _("Court outcome"),
        jf.CourtOutcomeForm,
        lambda a, c, d: services.court_outcome_record(actor=a, **d),
        JUSTICE,
    ),
    "interview": Step(
        _("Forensic interview"),
        jf.InterviewForm,
        lambda a, c, d: services.interview_record(actor=a, case=c, **d),
        JUSTICE,
    ),
    "legal-aid": Step(
        _("Legal aid"),
        jf.LegalAidForm,
        lambda a, c, d: services.legal_aid_record(actor=a, case=c, **d),
        JUSTICE,
    ),
    "conflict": Step(
        _("Child in conflict with the law"),
        jf.ConflictForm,
        lambda a, c, d: services.conflict_record(
            actor=a,
            case=c,
            follow_up_days=d.get("follow_up_days") or 30,
            **_drop(d, "follow_up_days"),
        ),
        JUSTICE,
    ),
    "conflict-decision": Step(
        _("Diversion or court measure"),
        jf.ConflictDecisionForm,
        lambda a, c, d: services.conflict_decide(actor=a, **d),
        JUSTICE,
    ),
    "probation-visit": Step(
        _("Probation follow-up"),
        jf.ProbationVisitForm,
        lambda a, c, d: services.probation_visit_record(actor=a, **d),
        JUSTICE,
    ),
    "dv-assessment": Step(
        _("Danger or situation assessment"),
        df.AssessmentForm,
        lambda a, c, d: dv.dv_assessment_record(actor=a, case=c, **d),
        DV,
    ),
    "protection-order": Step(
        _("Protection order or restraining measure"),
        df.OrderForm,
        lambda a, c, d: dv.protection_order_record(actor=a, case=c, **d),
        DV,
    ),
    "order-change": Step(
        _("Extend or revoke an order"),
        df.OrderChangeForm,
        lambda a, c, d: dv.protection_order_change(actor=a, **d),
        DV,
    ),
    "order-violation": Step(
        _("Violation of an order"),
        df.ViolationForm,
        lambda a, c, d: dv.order_violation_record(actor=a, **d),
        DV,
    ),
    "stay-admit": Step(
        _("Admission to a shelter or one-stop centre"),
        df.StayAdmitForm,
        lambda a, c, d: dv.stay_admit(actor=a, case=c, **d),
        DV,
    ),
    "stay-discharge": Step(
        _("Discharge"),
        df.StayDischargeForm,
        lambda a, c, d: dv.stay_discharge(actor=a, **d),
        DV,
    ),
}


def steps_in(section: str) -> list[str]:
    return [name for name, step in STEPS.items() if step.section == section]


def may_run(user, step: Step) -> bool:
    if not user.has_capability("cases.edit"):
        return False
    return step.section != JUSTICE or user.has_capability("justice.view")
