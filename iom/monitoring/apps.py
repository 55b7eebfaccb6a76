from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "iom.monitoring"
    label = "monitoring"
    verbose_name = "Voluntary GPS tags"
