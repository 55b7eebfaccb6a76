from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "iom.casework"
    label = "casework"
    verbose_name = "Case work: plans, actions, contacts, compliance and documents"

    def ready(self) -> None:
        # The pathway list named in the environment is checked at start-up.
        from .pathways import check_pathway_set

        check_pathway_set()
