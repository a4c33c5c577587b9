from django.urls import path

from cpims.justice import views, views_labour

app_name = "justice"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("case/<int:pk>/<slug:name>/", views.case_step, name="case_step"),
    path("inspections/", views_labour.inspection_list, name="inspections"),
    path("inspections/new/", views_labour.inspection_edit, name="inspection_new"),
    path("inspections/<int:pk>/", views_labour.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/edit/", views_labour.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/children/", views_labour.found_child_add, name="found_add"),
    path("found/<int:pk>/case/", views_labour.found_child_case, name="found_case"),
    path("rules/", views_labour.rules, name="rules"),
    path("rules/<int:pk>/", views_labour.rules, name="rule"),
    path("reports/jockeys/", views_labour.jockey_report_view, name="jockey_report"),
    path("reports/counts/", views_labour.sector_report_view, name="sector_report"),
]
