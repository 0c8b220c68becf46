"""Signal receivers, connected in AccessConfig.ready()."""

from portal.access.limits import start_session_clock


def on_user_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)


def bump_access_version(user_ids) -> None:
    """What these users may do changed: their sessions read the role in use and MFA state again on
    their next request (portal.access.remembered)."""
    from django.db.models import F

    from portal.people.models import User

    User.objects.filter(pk__in=list(user_ids)).update(access_version=F("access_version") + 1)


def on_assignment_changed(sender, instance, **kwargs):
    """A role assignment or an authenticator app saved or deleted: its user's."""
    bump_access_version([instance.user_id])


def on_organisation_changed(sender, instance, **kwargs):
    """An organisation or care team saved: everyone holding a role in it (sessions keep a copy)."""
    from portal.people.models import CareTeam, RoleAssignment

    where = {"team": instance} if isinstance(instance, CareTeam) else {"organisation": instance}
    bump_access_version(RoleAssignment.objects.filter(**where).values_list("user_id", flat=True))
