from django.urls import path

from cpims.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("me/", views.my_record, name="me"),
    path("staff/new/", views.staff_edit, name="staff_new"),
    path("staff/<int:pk>/", views.staff_detail, name="staff"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/leave/", views.staff_leave, name="staff_leave"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/<int:pk>/", views.training_detail, name="training"),
    path("supervision/", views.supervision, name="supervision"),
    path("indicators/", views.indicators, name="indicators"),
]
