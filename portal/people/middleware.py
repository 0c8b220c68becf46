"""Puts the role in use on the request (request.role), so every view and scope reads one place."""

from portal.people.roles import role_in_use


class RoleInUseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.role = role_in_use(request.user) if request.user.is_authenticated else None
        return self.get_response(request)
