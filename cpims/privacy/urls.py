from django.urls import path

from cpims.privacy import views

app_name = "privacy"
urlpatterns = [path("subject-access/<int:pk>/", views.subject_access, name="subject_access")]
