from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.core.access import get_visible_or_404, require_capability
from cpims.jobs.models import Job
from cpims.jobs.selectors import jobs_visible_to
from cpims.jobs.services import job_retry


@require_capability("admin.jobs")
def job_list(request):
    status = request.GET.get("status", Job.Status.FAILED)
    jobs = jobs_visible_to(request.user)
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/job_list.html",
        {"page": page, "status": status, "statuses": Job.Status.choices},
    )


@require_capability("admin.jobs")
@require_POST
def job_retry_view(request, pk: int):
    job = get_visible_or_404(jobs_visible_to(request.user), pk=pk, user=request.user)
    job_retry(actor=request.user, job=job)
    messages.success(request, _("The job was queued again."))
    return redirect("jobs:job_list")
