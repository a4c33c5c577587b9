from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache


@login_required
def home(request):
    context = {}
    if request.user.has_capability("cases.view"):
        from cpims.cases.selectors import approvals_waiting_for, tasks_for_user

        context["my_tasks"] = tasks_for_user(request.user)[:10]
        context["approvals"] = approvals_waiting_for(request.user)[:10]
    return render(request, "core/home.html", context)


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # No request context: the page must render even when the database is the problem.
    return HttpResponseServerError(render_to_string("errors/500.html"))
