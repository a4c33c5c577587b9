from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    # First: API clients (the telephony link, counsellors' contacts) are the busiest callers,
    # and every pattern tried before a match costs a regular expression.
    path("api/v1/", include(("cpims.api_urls", "api"), namespace="api")),
    path("", include("cpims.core.urls")),
    path("accounts/", include("cpims.accounts.urls")),
    path("places/", include("cpims.geo.urls")),
    path("registry/", include("cpims.registry.urls")),
    path("cases/", include("cpims.cases.urls")),
    path("helpline/", include("cpims.helpline.urls")),
    path("services/", include("cpims.referrals.urls")),
    path("justice/", include("cpims.justice.urls")),
    path("workforce/", include("cpims.workforce.urls")),
    path("finance/", include("cpims.finance.urls")),
    path("reports/", include("cpims.reports.urls")),
    path("notifications/", include("cpims.notifications.urls")),
    path("audit/", include("cpims.audit.urls")),
    path("privacy/", include("cpims.privacy.urls")),
    path("jobs/", include("cpims.jobs.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler400 = "cpims.core.views.error_400"
handler403 = "cpims.core.views.error_403"
handler404 = "cpims.core.views.error_404"
handler500 = "cpims.core.views.error_500"
