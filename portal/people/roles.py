"""The role a signed-in user is acting in. A user may hold several role assignments and
switches between them; the choice is stored on the user so it survives new sessions."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

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
