from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: health checks and the JSON-lines log (docs/deploy.md)."""

    name = "iom.operations"
    label = "operations"
    verbose_name = "Running the service"
