from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "iom.scoring"
    label = "scoring"
