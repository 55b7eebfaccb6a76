from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "iom.cohorts"
    label = "cohorts"

    def ready(self) -> None:
        # Refused or withdrawn consent moves a managed person to catch and control (004
        # 1.24): governance calls this as it records the decision, without importing us.
        from iom.governance.services import follow_consent_with

        from .services import after_consent

        follow_consent_with(after_consent)

        # The nightly scoring run is followed by the day's selection facts, so the first
        # candidate list of the day is fast (selection/snapshot.py).
        from iom.scoring.signals import nightly_run_finished

        from .selection.snapshot import after_nightly_run

        nightly_run_finished.connect(after_nightly_run, dispatch_uid="cohorts-selection-facts")
