"""Signal receivers, connected in AccessConfig.ready()."""

from portal.access.limits import start_session_clock


def on_user_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)
