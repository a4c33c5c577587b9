from django.urls import path

from cpims.helpline import views, views_handover, views_supervisor

app_name = "helpline"
urlpatterns = [
    path("", views.screen, name="screen"),
    path("incoming/", views.incoming, name="incoming"),
    path("lookup/", views.lookup, name="lookup"),
    path("places/", views.places, name="places"),
    path("quick/<slug:call_type>/", views.one_click, name="one_click"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/draft/", views.contact_draft, name="contact_draft"),
    path("contacts/<int:pk>/complete/", views.contact_complete, name="contact_complete"),
    path("contacts/<int:pk>/discard/", views.contact_discard, name="contact_discard"),
    path("contacts/<int:pk>/children/add/", views.child_add, name="child_add"),
    path(
        "contacts/<int:pk>/children/<int:child_id>/remove/",
        views.child_remove,
        name="child_remove",
    ),
    path("contacts/<int:pk>/children/<int:child_id>/link/", views.child_link, name="child_link"),
    path(
        "contacts/<int:pk>/children/<int:child_id>/persons/",
        views.person_results,
        name="person_results",
    ),
    path("contacts/<int:pk>/perpetrators/add/", views.perpetrator_add, name="perpetrator_add"),
    path(
        "contacts/<int:pk>/perpetrators/<int:perp_id>/remove/",
        views.perpetrator_remove,
        name="perpetrator_remove",
    ),
    path("contacts/<int:pk>/escalate/", views_handover.contact_escalate, name="contact_escalate"),
    path("contacts/<int:pk>/link-case/", views_handover.contact_link, name="contact_link"),
    path("callbacks/", views_handover.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/done/", views_handover.callback_done, name="callback_done"),
    path(
        "escalations/<int:pk>/acknowledge/",
        views_handover.escalation_acknowledge,
        name="escalation_acknowledge",
    ),
    path("board/", views_supervisor.board, name="board"),
    path("staffing/", views_supervisor.staffing, name="staffing"),
    path("chi-export/", views_supervisor.chi_export, name="chi_export"),
    path("taxonomy/", views_supervisor.taxonomy_admin, name="taxonomy"),
    path("taxonomy/versions/", views_supervisor.version_create, name="version_create"),
    path(
        "taxonomy/versions/<int:pk>/activate/",
        views_supervisor.version_activate,
        name="version_activate",
    ),
    path("taxonomy/<int:pk>/", views_supervisor.category_edit, name="category_edit"),
]
