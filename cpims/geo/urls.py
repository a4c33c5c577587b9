from django.urls import path

from cpims.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.location_list, name="location_list"),
    path("<str:code>/", views.location_list, name="location_detail"),
]
