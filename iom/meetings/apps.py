from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "iom.meetings"
    label = "meetings"
