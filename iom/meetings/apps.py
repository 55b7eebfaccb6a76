from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "iom.meetings"
    label = "meetings"

    def ready(self) -> None:
        # A policy named in the environment is checked at start-up, not at the first agenda.
        from .rules import check_meeting_policies

        check_meeting_policies()
