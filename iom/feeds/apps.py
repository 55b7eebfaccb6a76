from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "iom.feeds"
    label = "feeds"
    verbose_name = "Daily feeds"
