from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "iom.meetings"
    label = "meetings"

    def ready(self) -> None:
        # A policy named in the environment is checked at start-up, not at the first agenda.
        from .rules import check_meeting_policies

        check_meeting_policies()


        # Consent withdrawn or refused: the person's items in open meetings are closed
        # for that organisation at once (000 ISA s10). Subject access and corrections.
        from iom.governance.corrections import find_citations_with
        from iom.governance.services import follow_consent_with
        from iom.governance.subject_access import hold_for_subject_access

        from .governance import after_consent, items_citing
        from .models import AgendaItem

        follow_consent_with(after_consent)
        hold_for_subject_access("meeting_item", lambda n: AgendaItem.objects.filter(nominal=n))
        find_citations_with(items_citing)
