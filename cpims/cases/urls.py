from django.urls import path

from cpims.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("new/", views.case_register_view, name="register"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("saved-searches/", views.saved_search_add, name="saved_search_add"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/details/", views.case_details_update, name="details"),
    path("<int:pk>/step/<slug:name>/", views.case_step, name="step"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("approvals/<int:pk>/decide/", views.approval_decide_view, name="approval_decide"),
]
