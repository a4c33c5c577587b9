from django.urls import path

from cpims.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("services/new/", views.service_edit, name="service_new"),
    path("services/<int:pk>/", views.service_edit, name="service_edit"),
    path("inbox/", views.inbox, name="inbox"),
    path("activities/", views.activities, name="activities"),
    path("report/", views.report, name="report"),
    path("case/<int:case_pk>/new/", views.referral_new, name="new"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/step/", views.referral_step, name="step"),
    path("<int:pk>/delivery/", views.delivery_new, name="delivery"),
    path("<int:pk>/print/", views.referral_print, name="print"),
]
