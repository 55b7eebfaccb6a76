from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "iom.accounts"
    label = "accounts"
