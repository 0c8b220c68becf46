"""The role a signed-in user is acting in. A user may hold several role assignments and
switches between them; the choice is stored on the user so it survives new sessions."""

from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.access.remembered import remembered
from portal.people.models import RoleAssignment, User

_CACHE = "_role_in_use_cache"


def role_in_use(user: User) -> RoleAssignment | None:
    """The user's chosen assignment if they still hold it, else their first one (or None).
    Cached on the user object, so a request asks the database once."""
    if _CACHE in user.__dict__:
        return user.__dict__[_CACHE]
    assignments = list(RoleAssignment.objects.filter(user=user).select_related("organisation", "team"))
    chosen = next((a for a in assignments if a.pk == user.active_role_id), None)
    role = chosen or (assignments[0] if assignments else None)
    user.__dict__[_CACHE] = role
    return role


def role_for_request(request) -> RoleAssignment | None:
    """The role in use for a signed-in request, from the session's copy while it is current (no
    query); `role_in_use` reads it from the database when it is not (portal.access.remembered)."""
    user = request.user
    held = remembered(request, "role", lambda: _dump(role_in_use(user)))
    role = _load(held)
    user.__dict__[_CACHE] = role
    return role


def holds_several_roles(request) -> bool:
    """Whether the header offers "change role": kept in the session with the role (no query)."""
    user = request.user
    return remembered(request, "several_roles", lambda: RoleAssignment.objects.filter(user=user).count() > 1)


def _dump(role: RoleAssignment | None) -> str | None:
    """The assignment with its organisation and team, as the JSON Django's serializer writes."""
    if role is None:
        return None
    return serializers.serialize("json", [o for o in (role, role.organisation, role.team) if o is not None])


def _load(held: str | None) -> RoleAssignment | None:
    """Model instances again, joined up as select_related would leave them: no query to follow
    role.organisation, role.team or role.team.organisation."""
    if held is None:
        return None
    role, organisation, *team = (d.object for d in serializers.deserialize("json", held))
    role.organisation = organisation
    if team:
        role.team = team[0]
        if team[0].organisation_id == organisation.pk:
            team[0].organisation = organisation
    else:
        role.team = None
    return role


@transaction.atomic
def switch_role(user: User, assignment_id) -> RoleAssignment:
    """Make one of the user's own assignments the one in use; anyone else's is refused."""
    assignment = RoleAssignment.objects.filter(user=user, pk=assignment_id).first()
    if assignment is None:
        raise PermissionDenied("That role is not one of yours")
    user.active_role = assignment
    user.save(update_fields=["active_role"])
    user.__dict__.pop(_CACHE, None)
    return assignment
