from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "portal.access"
    label = "access"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.access.signals import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="access.start_session_clock")
