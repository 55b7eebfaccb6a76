from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "iom.feeds"
    label = "feeds"
    verbose_name = "Daily feeds"

    def ready(self) -> None:
        # Subject access (governance): the alerts raised about a person.
        from iom.governance.subject_access import hold_for_subject_access

        from .models import Alert

        hold_for_subject_access("alert", lambda n: Alert.objects.filter(nominal=n))
