from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "portal.access"
    label = "access"

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from portal.access.signals import on_assignment_changed, on_organisation_changed, on_user_logged_in
        from portal.people.models import CareTeam, Organisation, RoleAssignment

        user_logged_in.connect(on_user_logged_in, dispatch_uid="access.start_session_clock")
        # What a session holds about its user (portal.access.remembered) is read again after these.
        for model in (RoleAssignment, Authenticator):
            for signal in (post_save, post_delete):
                signal.connect(on_assignment_changed, sender=model, dispatch_uid=f"access.version.{model.__name__}")
        for model in (Organisation, CareTeam):
            post_save.connect(on_organisation_changed, sender=model, dispatch_uid=f"access.version.{model.__name__}")
