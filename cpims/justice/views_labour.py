"""Pages for child labour and child jockey inspections, and the aggregate reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.core.access import get_visible_or_404, require_capability
from cpims.core.numbers import is_number_text
from cpims.justice import labour
from cpims.justice.choices import InspectionKind
from cpims.justice.exports import table_response
from cpims.justice.forms_labour import FoundChildForm, InspectionForm, PeriodForm
from cpims.justice.jockeys import restricted_periods
from cpims.justice.models import RestrictedPeriod
from cpims.justice.reports import (
    jockey_report,
    jockey_table,
    parse_year,
    sector_counts,
    sector_table,
)
from cpims.justice.selectors import (
    found_children_visible_to,
    inspections_editable_by,
    inspections_visible_to,
)
from cpims.registry.selectors import persons_visible_to
from cpims.registry.services import PossibleDuplicate


def _signed_in(request) -> bool:
    """Inspections are for case workers and aggregate readers; others get 403."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.has_capability("cases.view") or user.has_capability("reports.aggregate"):
        return True
    raise PermissionDenied


def _year(request) -> int | None:
    return parse_year(request.GET.get("year"))


def inspection_list(request):
    if not _signed_in(request):
        return redirect(f"/accounts/login/?next={request.path}")
    inspections = inspections_visible_to(request.user)
    year, kind = _year(request), request.GET.get("kind", "")
    if year:
        inspections = inspections.filter(held_on__year=year)
    if kind in InspectionKind.values:
        inspections = inspections.filter(kind=kind)
    page = Paginator(inspections.order_by("-held_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "justice/inspections.html",
        {
            "page": page,
            "year": year or "",
            "kind": kind,
            "kinds": InspectionKind.choices,
            "can_record": request.user.has_capability("cases.edit"),
            "can_report": request.user.has_capability("reports.aggregate"),
            "can_edit_rules": request.user.has_capability("admin.users"),
            "periods": restricted_periods(),
        },
    )


def _input(data: dict) -> labour.InspectionInput:
    return labour.InspectionInput(**data)


@require_capability("cases.edit")
def inspection_edit(request, pk: int | None = None):
    inspection = None
    if pk is not None:
        inspection = get_visible_or_404(
            inspections_editable_by(request.user), pk=pk, user=request.user
        )
    initial = {}
    if inspection is not None:
        initial = {
            f: getattr(inspection, f)
            for f in InspectionForm.base_fields
            if f not in ("ages", "location", "inspected_by")
        }
        initial.update(
            ages=", ".join(str(a) for a in inspection.ages),
            location=inspection.location.code,
            inspected_by=inspection.inspected_by_id,
        )
    form = InspectionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = labour.inspection_save(
                actor=request.user, data=_input(form.cleaned_data), inspection=inspection
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Inspection saved."))
            return redirect("justice:inspection", pk=saved.pk)
    return render(request, "justice/inspection_form.html", {"form": form, "inspection": inspection})


def inspection_detail(request, pk: int):
    if not _signed_in(request):
        return redirect(f"/accounts/login/?next={request.path}")
    inspection = get_visible_or_404(inspections_visible_to(request.user), pk=pk, user=request.user)
    editable = inspections_editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "justice/inspection_detail.html",
        {
            "inspection": inspection,
            "found": found_children_visible_to(request.user).filter(inspection=inspection),
            "editable": editable,
            "can_open_case": editable and request.user.has_capability("registry.edit"),
            "child_form": FoundChildForm(),
        },
    )


@require_capability("cases.edit")
@require_POST
def found_child_add(request, pk: int):
    inspection = get_visible_or_404(inspections_editable_by(request.user), pk=pk, user=request.user)
    form = FoundChildForm(request.POST)
    if form.is_valid():
        try:
            labour.found_child_add(actor=request.user, inspection=inspection, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Child added."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect("justice:inspection", pk=inspection.pk)


@require_capability("cases.edit")
@require_POST
def found_child_case(request, pk: int):
    """Open the case in one step; when the registry has likely matches, show them first."""
    if not request.user.has_capability("registry.edit"):
        raise PermissionDenied
    found = get_visible_or_404(found_children_visible_to(request.user), pk=pk, user=request.user)
    if not inspections_editable_by(request.user).filter(pk=found.inspection_id).exists():
        raise PermissionDenied
    person = None
    if is_number_text(request.POST.get("person", "")):
        person = get_visible_or_404(
            persons_visible_to(request.user), pk=int(request.POST["person"]), user=request.user
        )
    try:
        case = labour.found_child_open_case(
            actor=request.user,
            found=found,
            person=person,
            confirmed_new=request.POST.get("confirmed_new") == "1",
        )
    except PossibleDuplicate as dup:
        return render(
            request,
            "justice/found_child_matches.html",
            {
                "found": found,
                "candidates": dup.candidates.visible,
                "hidden": dup.candidates.hidden_count,
            },
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("justice:inspection", pk=found.inspection_id)
    messages.success(request, _("Case %(n)s was opened.") % {"n": case.number})
    return redirect("cases:detail", pk=case.pk)


@require_capability("reports.aggregate")
def jockey_report_view(request):
    year = _year(request) or timezone.localdate().year
    report = jockey_report(inspections_visible_to(request.user), year=year)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header, rows = jockey_table(report)
        title = _("Child jockeys by aimag and season, %(year)s") % {"year": year}
        return table_response(
            fmt=fmt, title=title, header=header, rows=rows, filename=f"child-jockeys-{year}"
        )
    return render(request, "justice/jockey_report.html", {"report": report, "year": year})


@require_capability("reports.aggregate")
def sector_report_view(request):
    year = _year(request)
    rows = sector_counts(request.user, year=year)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header, body = sector_table(rows)
        title = _("Justice and domestic violence: counts by aimag")
        return table_response(
            fmt=fmt, title=title, header=header, rows=body, filename=f"justice-dv-{year or 'all'}"
        )
    header, body = sector_table(rows)
    return render(
        request, "justice/sector_report.html", {"header": header, "rows": body, "year": year or ""}
    )


@require_capability("admin.users")
def rules(request, pk: int | None = None):
    """The season rule for child jockeys, as data: months and the age limit."""
    period = RestrictedPeriod.objects.filter(pk=pk).first() if pk else None
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            labour.restricted_period_save(actor=request.user, period=form.save(commit=False))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect("justice:rules")
    return render(
        request,
        "justice/rules.html",
        {
            "form": form,
            "period": period,
            "periods": RestrictedPeriod.objects.all(),
            "effective": restricted_periods(),
        },
    )
