from django.apps import AppConfig


class AllianceConfig(AppConfig):
    """The cancer alliance's coverage report (issue 15 item 7, ADR 0055): counts across every app's
    events, aggregate only. Its own small app because it reads the models of four others."""

    name = "alliance"
    verbose_name = "Cancer alliance reporting"
