from django.urls import path

from cpims.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator"),
    path("map/", views.aimag_map, name="map"),
    path("reference/add/", views.reference_add, name="reference_add"),
    path("export/cases.<str:fmt>", views.case_list_export, name="case_export"),
]
