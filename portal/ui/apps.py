from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "portal.ui"
    label = "ui"
    verbose_name = "NHS.UK page kit"
