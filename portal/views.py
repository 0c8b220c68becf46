"""Platform pages: health, the role-aware home, error pages, and static information pages."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health
from portal.audit.services import audit_view_many
from portal.people import hub
from portal.people.models import Role
from portal.ui.presenters import HomePresenter


@require_GET
@never_cache
def health_view(request):
    ok, checks = health.report()
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


HOME_TEMPLATES = {
    Role.CNS: "home/team.jinja",
    Role.SUPPORT_WORKER: "home/team.jinja",
    Role.CLINICIAN: "home/team.jinja",
    Role.GP: "home/practice.jinja",
    Role.PRACTICE_STAFF: "home/practice.jinja",
    Role.SERVICE_ADMIN: "home/wellbeing_admin.jinja",
    Role.AUDITOR: "home/auditor.jinja",
}


@login_required
def home(request):
    """Each person lands on the page for the role they are using."""
    if request.role is not None:
        template = HOME_TEMPLATES[request.role.role]
    elif hasattr(request.user, "patient"):
        template = "home/my_care.jinja"
    elif request.user.is_staff:
        return redirect("admin:index")
    else:
        template = "home/no_role.jinja"
    presenter = HomePresenter(request.user, request.role)
    if template == "home/my_care.jinja" and presenter.my_care_sections:
        # What the sections were built from (the patient's own HNA) is a read of their record.
        patient = request.user.patient
        audit_view_many(request, hub.shown_records(patient, presenter.my_care_sections)[1:])
    if template == "home/practice.jinja":
        # The counts name no one; the short lists name patients, and each is a read of their record.
        shown = hub.home_records(presenter.practice_sections)
        if shown:
            audit_view_many(request, shown)
    return render(request, template, {"page_title": presenter.title, "home": presenter})


def _error(request, status, title, template, **context):
    return render(request, template, {"page_title": title, **context}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Sorry, there is a problem with the service", "errors/400.jinja")


def permission_denied(request, exception=None):
    return _error(request, 403, "You do not have access to this page", "errors/403.jinja")


def page_not_found(request, exception=None):
    return _error(request, 404, "Page not found", "errors/404.jinja")


def server_error(request):
    # No database or user lookups here: the failure may be the database itself.
    return _error(request, 500, "Sorry, there is a problem with the service", "errors/500.jinja", plain_header=True)


def csrf_failure(request, reason=""):
    return _error(request, 403, "Your session has ended", "errors/csrf.jinja")


def info_page(request, page):
    titles = {"accessibility": "Accessibility statement", "privacy": "Privacy notice"}
    return render(request, f"info/{page}.jinja", {"page_title": titles[page]})
