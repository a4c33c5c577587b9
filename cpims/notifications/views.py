from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cpims.notifications.models import Notification
from cpims.notifications.services import notifications_mark_read


@login_required
def notification_list(request):
    notes = Notification.objects.filter(user=request.user)[:200]
    return render(request, "notifications/list.html", {"notes": notes})


@login_required
@require_POST
def notification_read_all(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
