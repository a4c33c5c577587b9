"""The case summary as a PDF, for a user allowed to export personal data.

What goes in is decided first, as plain sections of text, by the same rules as the case page
(`cases.sensitive`): sexual-violence concerns, medical notes and alleged perpetrators appear only
for roles granted them. Timeline entries show what happened and when, never their details. The
justice and domestic-violence sections (their own grants and panels) are left out entirely.
Rendering (fpdf2, Noto Sans for Cyrillic, as the referral slip) only lays that text out."""

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from fontpkg_noto_sans import ROOT
from fpdf import FPDF

from cpims.audit.services import audit_record
from cpims.cases.choices import Harm
from cpims.cases.models import Case
from cpims.cases.selectors import case_timeline
from cpims.cases.sensitive import MEDICAL, hidden_harm_count, visible_harms, visible_people
from cpims.reports.exports_protected import zip_response

FONT = f"{ROOT}/files/NotoSans[wdth,wght].ttf"
# fontTools logs every glyph of the font subset at INFO: dozens of lines per PDF.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)
SECTIONS = ["safety", "health", "education", "family", "psychosocial", "legal"]


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)


def _when(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _pair(label: str, value) -> str:
    return f"{label}: {value if value not in (None, '') else '—'}"


def case_summary(user, case: Case) -> list[Section]:
    """Everything the PDF says, in order; what `user` may not see is never read into it."""
    facts = Section(_("Case"))
    facts.lines += [
        _pair(_("Case number"), case.number),
        _pair(_("Stage"), case.get_stage_display()),
        _pair(_("Status"), _("open") if case.is_open else _("closed")),
        _pair(_("Risk level"), case.get_risk_display()),
        _pair(_("Origin"), case.get_origin_display()),
        _pair(_("Reported"), _when(case.reported_at)),
        _pair(_("Opened"), _when(case.opened_at)),
        _pair(_("Where the child lives"), case.location),
        _pair(_("Team"), case.agency),
        _pair(
            _("Social worker"), case.assigned_worker.display_name if case.assigned_worker else ""
        ),
    ]
    if not case.is_open:
        facts.lines.append(_pair(_("Closed"), _when(case.closed_at)))
        facts.lines.append(_pair(_("Closure reason"), case.get_closure_reason_display()))

    children = Section(_("Children"))
    for link in case.children.select_related("person").order_by("-is_primary", "pk"):
        person = link.person
        children.lines.append(
            f"{person.full_name} · {person.get_sex_display()} · "
            f"{_('born')} {_when(person.date_of_birth)}"
        )

    harms = Section(_("Harm and concerns"))
    harms.lines = [str(Harm(h).label) for h in visible_harms(user, case)] or ["—"]
    hidden = hidden_harm_count(user, case)
    if hidden:
        harms.lines.append(_("Restricted concerns not shown: %(n)s") % {"n": hidden})

    people = Section(_("People around the child"))
    for p in visible_people(user, case):
        who = p.person.full_name if p.person else p.description
        extra = f" ({p.relationship_to_child})" if p.relationship_to_child else ""
        people.lines.append(f"{p.get_role_display()}: {who}{extra}")

    details = Section(_("Summary and safety check"))
    details.lines += [
        _pair(_("Who reported"), case.reporter_description),
        _pair(_("Summary"), case.summary),
        _pair(_("Immediate safety check"), case.safety_notes),
    ]

    consent = Section(_("Consent"))
    for c in case.consents.order_by("given_at"):
        withdrawn = f" ({_('withdrawn')} {_when(c.withdrawn_at)})" if c.withdrawn_at else ""
        consent.lines.append(f"{c.get_purpose_display()}: {c.get_basis_display()}{withdrawn}")

    return [
        facts,
        children,
        harms,
        people,
        details,
        consent,
        _assessments(user, case),
        _plan(case),
        _tasks(case),
        _referrals(case),
        _timeline(case),
    ]


def _assessments(user, case: Case) -> Section:
    section = Section(_("Assessments"))
    medical = user.has_capability(MEDICAL)
    for a in case.assessments.order_by("completed_at"):
        section.lines.append(f"{a.get_kind_display()} · {_when(a.completed_at)}")
        if a.risk:
            section.lines.append("  " + _pair(_("Risk level"), a.get_risk_display()))
        if a.reasons:
            section.lines.append("  " + _pair(_("Reasons"), a.reasons))
        for name in SECTIONS:
            text = getattr(a, name)
            if text and (name != "health" or medical):
                label = a._meta.get_field(name).verbose_name
                section.lines.append("  " + _pair(str(label).capitalize(), text))
    return section


def _plan(case: Case) -> Section:
    section = Section(_("Case plan"))
    plan = case.plans.order_by("-created_at", "-pk").first()
    if plan is not None:
        section.lines.append(_pair(_("Status"), plan.get_status_display()))
        section.lines.append(_pair(_("Goals"), plan.goals))
        for action in plan.actions.order_by("due_date", "pk"):
            done = f" · {_('done')}" if action.done_at else ""
            section.lines.append(
                f"  {action.description} — {action.responsible} — {_when(action.due_date)}{done}"
            )
    return section


def _tasks(case: Case) -> Section:
    section = Section(_("Open tasks"))
    for t in case.tasks.filter(done_at__isnull=True).order_by("due_at"):
        title = f": {t.title}" if t.title else ""
        section.lines.append(f"{t.get_kind_display()}{title} — {_when(t.due_at)}")
    return section


def _referrals(case: Case) -> Section:
    section = Section(_("Referrals and services"))
    for r in case.referrals.select_related("service").order_by("sent_at"):
        section.lines.append(f"{r.reference} · {r.service} · {r.get_status_display()}")
    return section


def _timeline(case: Case) -> Section:
    section = Section(_("Timeline"))
    for e in case_timeline(case):
        section.lines.append(f"{_when(e.at)} · {e.actor_label} · {e.label}")
    return section


class _Document(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("Noto", size=8)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def render_pdf(*, title: str, subtitle: str, footer: str, sections: list[Section]) -> bytes:
    pdf = _Document(format="A4")
    pdf.footer_text = footer
    pdf.set_title(title)
    pdf.set_creator("CPIMS")
    pdf.add_font("Noto", fname=FONT)
    pdf.add_page()
    pdf.set_font("Noto", size=16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("Noto", size=9)
    pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT", align="L")
    for section in sections:
        if not section.lines:
            continue
        pdf.ln(3)
        pdf.set_font("Noto", size=12)
        pdf.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font("Noto", size=10)
        for line in section.lines:
            pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


def case_pdf_export(*, user, case: Case, password: str = "") -> HttpResponse:
    """Audit the export (who, which case, protected or not — never the password), then answer
    with the PDF, or the PDF inside an AES-encrypted ZIP. The filename carries the case number,
    never the child's name."""
    audit_record(
        actor=user,
        action="reports.case_pdf",
        object_type="cases.Case",
        object_id=case.pk,
        changes={"format": "pdf", "protected": bool(password)},
    )
    printed = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    content = render_pdf(
        title=_("Case summary %(number)s") % {"number": case.number},
        subtitle=_("Printed %(when)s by %(user)s. Confidential: contains personal data.")
        % {"when": printed, "user": user.username},
        footer=f"{case.number} · {_('Confidential')}",
        sections=case_summary(user, case),
    )
    filename = "case-" + re.sub(r"[^A-Za-z0-9-]", "_", case.number) + ".pdf"
    if password:
        return zip_response(filename, lambda out: out.write(content), password=password)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
