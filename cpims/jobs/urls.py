from django.urls import path

from cpims.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/retry/", views.job_retry_view, name="job_retry"),
]
