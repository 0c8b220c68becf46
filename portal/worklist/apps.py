from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "portal.worklist"
    label = "worklist"
