from django.urls import path

from cpims.accounts import security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", security_views.second_factor, name="second_factor"),
    path("two-factor/setup/", security_views.two_factor_setup, name="two_factor_setup"),
    path("reauth/", security_views.reauth, name="reauth"),
    path("tokens/", security_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", security_views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_edit, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_edit, name="agency_edit"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/new/", views.role_edit, name="role_create"),
    path("roles/<int:pk>/", views.role_edit, name="role_edit"),
]
