from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "iom.core"
    label = "core"
