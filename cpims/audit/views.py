from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cpims.audit.selectors import audit_events_search
from cpims.core.access import require_capability
from cpims.core.pagination import CappedPaginator


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    object_type = forms.CharField(label=_("Record type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@require_capability("audit.view")
def event_list(request):
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_search(user=request.user, **filters)
    # Counted up to the cap: the log's millions of events are not counted for a page of 100.
    page = CappedPaginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"form": form, "page": page})
