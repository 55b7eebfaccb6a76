from django.contrib.auth import views as auth_views
from django.urls import path

from . import token_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("account/", views.account, name="account"),
    path("account/tokens/", token_views.own_tokens, name="own-tokens"),
    path("account/tokens/new/", token_views.own_token_issue, name="own-token-issue"),
    path("account/tokens/<int:token_pk>/revoke/", token_views.own_token_revoke,
         name="own-token-revoke"),
]
