from django.urls import path

from . import admin_views as views

app_name = "admin_area"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation-edit"),
    path("districts/", views.districts, name="districts"),
    path("districts/new/", views.district_create, name="district-create"),
    path("districts/<int:pk>/", views.district_rename, name="district-rename"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/two-factor/reset/", views.user_reset_two_factor,
         name="user-reset-two-factor"),
    path("users/<int:pk>/tokens/", views.user_tokens, name="user-tokens"),
    path("users/<int:pk>/tokens/new/", views.token_issue, name="token-issue"),
    path("users/<int:pk>/tokens/<int:token_pk>/revoke/", views.token_revoke,
         name="token-revoke"),
]
