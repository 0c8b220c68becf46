"""Puts the role in use on the request (request.role), so every view and scope reads one place:
held in the session while it is current, so a request does not query for it (ADR 0056)."""

from portal.people.roles import role_for_request


class RoleInUseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.role = role_for_request(request) if request.user.is_authenticated else None
        return self.get_response(request)
