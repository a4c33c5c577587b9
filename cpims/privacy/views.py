import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from cpims.accounts.security_views import recent_auth_required
from cpims.core.access import get_visible_or_404, require_capability
from cpims.privacy.subject_access import subject_access_report
from cpims.registry.selectors import persons_visible_to


def _reauth_on_get(view):
    view.reauth_on_get = True
    return view


@require_capability("exports.personal")
@recent_auth_required
@_reauth_on_get
def subject_access(request, pk: int):
    person = get_visible_or_404(persons_visible_to(request.user), pk=pk, user=request.user)
    report = subject_access_report(actor=request.user, person=person)
    response = HttpResponse(
        json.dumps(report, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person.pk}.json"'
    return response
