"""Workforce pages: the staff registry, training, supervision and capacity indicators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.cases.selectors import cases_visible_to
from cpims.core.access import get_visible_or_404, require_capability
from cpims.geo.models import Location
from cpims.justice.exports import table_response
from cpims.justice.reports import parse_year
from cpims.workforce import services
from cpims.workforce.choices import StaffKind
from cpims.workforce.exports_table import indicators_table
from cpims.workforce.forms import (
    AttendanceForm,
    CourseForm,
    SessionForm,
    StaffForm,
    SupervisionForm,
)
from cpims.workforce.indicators import capacity_indicators
from cpims.workforce.models import StaffMember
from cpims.workforce.selectors import (
    attendance_visible_to,
    courses_visible_to,
    staff_editable_by,
    staff_visible_to,
    supervision_visible_to,
    training_record,
    training_sessions_visible_to,
)

MANAGE = "workforce.manage"


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@require_capability(MANAGE)
def staff_list(request):
    staff = staff_editable_by(request.user).select_related("agency", "location", "user")
    kind, place = request.GET.get("kind", ""), request.GET.get("place", "").strip()
    if kind in StaffKind.values:
        staff = staff.filter(kind=kind)
    if request.GET.get("vacant") == "1":
        staff = staff.filter(is_vacant=True)
    if place:
        loc = Location.objects.filter(code=place).first()
        staff = staff.filter(location__path__startswith=loc.path) if loc else staff.none()
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/staff_list.html",
        {"page": page, "kinds": StaffKind.choices, "kind": kind, "place": place},
    )


@require_capability(MANAGE)
def staff_edit(request, pk: int | None = None):
    staff = None
    if pk is not None:
        staff = get_visible_or_404(staff_editable_by(request.user), pk=pk, user=request.user)
    form = StaffForm(request.POST or None, instance=staff, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.staff_save(actor=request.user, staff=form.save(commit=False))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:staff", pk=saved.pk)
    return render(request, "workforce/staff_form.html", {"form": form, "staff": staff})


def staff_detail(request, pk: int):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    staff = get_visible_or_404(staff_visible_to(request.user), pk=pk, user=request.user)
    sessions = supervision_visible_to(request.user).filter(Q(worker=staff) | Q(supervisor=staff))
    sessions = list(sessions.prefetch_related("cases").order_by("-held_on")[:100])
    on_page = {case.pk for session in sessions for case in session.cases.all()}
    return render(
        request,
        "workforce/staff_detail.html",
        {
            "staff": staff,
            "training": training_record(staff),
            "sessions": sessions,
            "visible_cases": _visible_among(request.user, on_page),
            "editable": staff_editable_by(request.user).filter(pk=pk).exists(),
        },
    )


def my_record(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    mine = StaffMember.objects.filter(user=request.user).first()
    if mine is not None:
        return redirect("workforce:staff", pk=mine.pk)
    return render(request, "workforce/no_record.html")


def trainings(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    manages = request.user.has_capability(MANAGE)
    course_form = CourseForm(prefix="course")
    session_form = SessionForm(prefix="session")
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        which = request.POST.get("form")
        form = (
            CourseForm(request.POST, prefix="course")
            if which == "course"
            else SessionForm(request.POST, prefix="session")
        )
        if form.is_valid():
            try:
                if which == "course":
                    services.course_save(actor=request.user, course=form.save(commit=False))
                else:
                    session = services.training_session_save(
                        actor=request.user, session=form.save(commit=False)
                    )
                    messages.success(request, _("Saved."))
                    return redirect("workforce:training", pk=session.pk)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("workforce:trainings")
        if which == "course":
            course_form = form
        else:
            session_form = form
    sessions = training_sessions_visible_to(request.user).order_by("-starts_on", "-pk")
    return render(
        request,
        "workforce/trainings.html",
        {
            "courses": courses_visible_to(request.user),
            "page": Paginator(sessions, 50).get_page(request.GET.get("page")),
            "manages": manages,
            "course_form": course_form,
            "session_form": session_form,
        },
    )


def training_detail(request, pk: int):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    session = get_visible_or_404(
        training_sessions_visible_to(request.user), pk=pk, user=request.user
    )
    manages = request.user.has_capability(MANAGE)
    form = AttendanceForm(request.POST or None, manager=request.user) if manages else None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.attendance_record(
                    actor=request.user,
                    session=session,
                    staff=list(form.cleaned_data["staff"]),
                    completed=form.cleaned_data["completed"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Attendance recorded."))
                return redirect("workforce:training", pk=session.pk)
    return render(
        request,
        "workforce/training_detail.html",
        {
            "session": session,
            "attendance": attendance_visible_to(request.user).filter(session=session),
            "form": form,
        },
    )


def supervision(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    manages = request.user.has_capability(MANAGE)
    form = SupervisionForm(request.POST or None, manager=request.user) if manages else None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.supervision_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Supervision session recorded."))
                return redirect("workforce:supervision")
    sessions = supervision_visible_to(request.user).prefetch_related("cases").order_by("-held_on")
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    # Which of the page's cases the reader may open (not every case they see: a team's 30,000)
    on_page = {case.pk for session in page for case in session.cases.all()}
    return render(
        request,
        "workforce/supervision.html",
        {
            "page": page,
            "form": form,
            "visible_cases": _visible_among(request.user, on_page),
        },
    )


def _visible_among(user, case_ids: set[int]) -> set[int]:
    """Which of these cases (a page's) the reader may open: not every case they can see."""
    if not case_ids:
        return set()
    return set(cases_visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))


def _may_see_indicators(user) -> bool:
    return user.has_capability("reports.aggregate") or user.has_capability(MANAGE)


def indicators(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    if not _may_see_indicators(request.user) or not request.user.scope_id:
        raise PermissionDenied
    scope = request.user.scope
    area = scope
    code = request.GET.get("area", "").strip()
    if code:
        chosen = Location.objects.filter(code=code).first()
        if chosen is None or not scope.contains(chosen):
            raise PermissionDenied
        area = chosen
    year = request.GET.get("year", "")
    report = capacity_indicators(area=area, year=parse_year(year), as_of=timezone.localdate())
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header, rows = indicators_table(report)
        title = _("Workforce capacity: %(area)s, %(year)s") % {
            "area": area.name,
            "year": report["year"],
        }
        return table_response(
            fmt=fmt, title=title, header=header, rows=rows, filename=f"workforce-{area.code}"
        )
    return render(request, "workforce/indicators.html", {"report": report})


@require_capability(MANAGE)
@require_POST
def staff_leave(request, pk: int):
    staff = get_visible_or_404(staff_editable_by(request.user), pk=pk, user=request.user)
    staff.ended_on = timezone.localdate()
    services.staff_save(actor=request.user, staff=staff)
    messages.success(request, _("The post is marked as left."))
    return redirect("workforce:staff", pk=staff.pk)
