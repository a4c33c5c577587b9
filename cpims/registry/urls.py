from django.urls import path

from cpims.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("matches/", views.person_matches, name="person_matches"),
    path("regno/", views.regno_check, name="regno_check"),
    path("import/", views.person_import, name="person_import"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/relationships/", views.relationship_add, name="relationship_add"),
    path("<int:pk>/merge/<int:other>/", views.merge_review, name="merge_review"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
]
