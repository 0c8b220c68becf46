"""Your sessions: every signed-in user sees their own sessions and can end any of them."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.access import sessions as service
from portal.access.presenters import session_rows


@login_required
def sessions(request):
    rows = session_rows(service.live_sessions(request.user), request.session.session_key)
    return render(
        request,
        "access/sessions.jinja",
        {"page_title": "Your sessions", "rows": rows, "others": sum(not r.is_current for r in rows)},
    )


@require_POST
@login_required
def end_session(request):
    session = service.find_own_session(request.user, request.POST.get("session"))
    if session.session_key == request.session.session_key:
        logout(request)
        return redirect("account_login")
    service.end_session(session)
    messages.success(request, "You have signed out of that device.")
    return redirect("access_sessions")


@require_POST
@login_required
def end_other_sessions(request):
    ended = service.end_sessions(request.user, keep=request.session.session_key)
    messages.success(request, f"You have signed out of {ended} other device{'' if ended == 1 else 's'}.")
    return redirect("access_sessions")
