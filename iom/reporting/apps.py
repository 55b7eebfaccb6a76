from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "iom.reporting"
    verbose_name = "Measuring impact"

    def ready(self) -> None:
        # The nightly scoring run (and the cohorts' selection facts it is followed by)
        # is followed by each partnership's default impact figures, stored, so the
        # morning's first dashboard reads them instead of computing them.
        from iom.reporting.services import after_nightly_run
        from iom.scoring.signals import nightly_run_finished

        nightly_run_finished.connect(after_nightly_run, dispatch_uid="reporting-impact")
