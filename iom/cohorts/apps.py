from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "iom.cohorts"
    label = "cohorts"
