from django.urls import path

from cpims.reports import exports_views, views, views_dashboards

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator"),
    path("map/", views.aimag_map, name="map"),
    path("my/", views_dashboards.my_dashboard, name="my"),
    path("my/trend/<slug:series>.csv", views_dashboards.trend_csv, name="trend_csv"),
    path("reference/add/", views.reference_add, name="reference_add"),
    path("export/cases/", exports_views.case_export_page, name="case_export_page"),
    path("export/cases.<str:fmt>", exports_views.case_list_export, name="case_export"),
    path("export/case/<int:pk>.pdf", exports_views.case_pdf, name="case_pdf"),
]
