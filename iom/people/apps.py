from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "iom.people"
    label = "people"
