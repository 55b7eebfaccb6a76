from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "iom.scoring"
    label = "scoring"

    def ready(self) -> None:
        # What this app holds about a person, for subject access (governance).
        from iom.governance.subject_access import hold_for_subject_access

        from .models import EmergingThreat, StoredScore

        hold_for_subject_access("score", lambda n: StoredScore.objects.filter(nominal=n))
        hold_for_subject_access("emerging_threat",
                                lambda n: EmergingThreat.objects.filter(nominal=n))
