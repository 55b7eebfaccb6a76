from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "iom.casework"
    label = "casework"
    verbose_name = "Case work: plans, actions, contacts, compliance and documents"
