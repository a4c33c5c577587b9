"""Supervisor pages (live board, staffing, CHI export) and the taxonomy administration."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.audit.services import audit_record
from cpims.core.access import require_capability
from cpims.helpline import exports, stats, taxonomy
from cpims.helpline.forms import CategoryAddForm, CategoryEditForm, ExportForm, PeriodForm
from cpims.helpline.models import Category, TaxonomyVersion, current_version
from cpims.helpline.selectors import taxonomy_for

SUPERVISE = "helpline.supervise"
TAXONOMY = "helpline.taxonomy"


@require_capability(SUPERVISE)
def board(request):
    template = (
        "helpline/_board_live.html" if request.headers.get("HX-Request") else "helpline/board.html"
    )
    return render(request, template, {"board": stats.board(request.user)})


@require_capability(SUPERVISE)
def staffing(request):
    form = PeriodForm(request.GET) if request.GET else PeriodForm.default()
    grid = None
    if form.is_valid():
        start = stats.day_start(form.cleaned_data["start"])
        end = stats.day_start(form.cleaned_data["end"]) + timedelta(days=1)
        grid = stats.hour_weekday(request.user, start=start, end=end)
    return render(request, "helpline/staffing.html", {"form": form, "grid": grid})


@require_capability(SUPERVISE)
def chi_export(request):
    form = ExportForm(request.GET or None, initial={"year": timezone.localdate().year - 1})
    if not form.is_valid():
        return render(request, "helpline/export.html", {"form": form})
    year, kind = form.cleaned_data["year"], form.cleaned_data["format"]
    tables = exports.chi_submission(request.user, year)
    audit_record(
        actor=request.user,
        action="helpline.chi_exported",
        object_type="helpline.Contact",
        changes={"year": year, "format": kind},
    )
    if request.GET.get("preview"):
        return render(
            request, "helpline/export.html", {"form": form, "tables": tables, "year": year}
        )
    name = f"chi-submission-{year}.{kind}"
    if kind == "csv":
        response = HttpResponse(exports.to_csv(tables, year=year), content_type="text/csv")
    else:
        response = HttpResponse(
            exports.to_xlsx(tables, year=year),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _version(request) -> TaxonomyVersion:
    code = request.GET.get("version")
    if code:
        return get_object_or_404(TaxonomyVersion, code=code)
    return current_version()


@require_capability(TAXONOMY)
def taxonomy_admin(request):
    version = _version(request)
    form = CategoryAddForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            node = taxonomy.category_add(
                actor=request.user,
                parent=data["parent"],
                slug=data["slug"],
                label_mn=data["label_mn"],
                label_en=data["label_en"],
                icvac_code=data["icvac_code"],
                harm=data["harm"],
                reports_as=data["reports_as"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Category %(code)s added.") % {"code": node.code})
            return redirect("helpline:taxonomy")
    return render(
        request,
        "helpline/taxonomy.html",
        {
            "version": version,
            "versions": TaxonomyVersion.objects.all(),
            "nodes": _with_reports_under(taxonomy_for(version, active_only=False)),
            "form": form,
        },
    )


def _with_reports_under(nodes: list) -> list:
    """Each node's CHI roll-up (shown on every row) from the tree in hand, not one query per
    node; a roll-up outside the list (another version: never by construction) is left lazy."""
    by_pk = {node.pk: node for node in nodes}
    for node in nodes:
        if node.reports_under_id in by_pk:
            node.reports_under = by_pk[node.reports_under_id]
    return nodes


@require_capability(TAXONOMY)
def category_edit(request, pk: int):
    category = get_object_or_404(Category.objects.select_related("version"), pk=pk)
    initial = {
        "label_mn": category.label_mn,
        "label_en": category.label_en,
        "icvac_code": category.icvac_code,
        "harm": category.harm,
        "reports_as": category.reports_as_id,
        "is_active": category.is_active,
    }
    form = CategoryEditForm(request.POST or None, initial=initial, version=category.version)
    if request.method == "POST" and form.is_valid():
        try:
            taxonomy.category_update(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("helpline:taxonomy")
    return render(request, "helpline/category_edit.html", {"category": category, "form": form})


@require_capability(TAXONOMY)
@require_POST
def version_create(request):
    source = current_version()
    code = f"{source.code.split('-v')[0]}-v{timezone.localtime():%Y%m%d%H%M}"
    try:
        version = taxonomy.taxonomy_version_create(
            actor=request.user,
            code=code[:40],
            label=request.POST.get("label", code),
            clone_from=source,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("helpline:taxonomy")
    messages.success(
        request, _("Version %(code)s created (not yet current).") % {"code": version.code}
    )
    return redirect(f"{reverse('helpline:taxonomy')}?version={version.code}")


@require_capability(TAXONOMY)
@require_POST
def version_activate(request, pk: int):
    version = get_object_or_404(TaxonomyVersion, pk=pk)
    taxonomy.taxonomy_version_activate(actor=request.user, version=version)
    messages.success(request, _("New contacts now use version %(code)s.") % {"code": version.code})
    return redirect("helpline:taxonomy")
