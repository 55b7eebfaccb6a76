from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "iom.governance"
    label = "governance"

    def ready(self) -> None:
        # What governance and the people app hold about a person, for subject access;
        # the apps to our right register their own (subject_access.py).
        from .subject_access import hold_for_subject_access

        related = {"alias": "aliases", "address": "addresses", "flag": "flags",
                   "event": "events", "case_date": "case_dates",
                   "wanted_missing": "wanted_missing", "custody": "custody_periods",
                   "order": "orders", "protection": "protection",
                   "intelligence": "intelligence", "allocation": "allocations",
                   "consent": "consents", "involvement": "involvements",
                   "correction": "corrections"}
        for kind, name in related.items():
            hold_for_subject_access(
                kind, lambda nominal, name=name: getattr(nominal, name).all().order_by("pk"))
