"""What a signed-in session remembers about its user between requests (ADR 0056): the role in use
and whether they must still set up an authenticator app. Each was a query or two on every request;
now each is read once and kept in the session with the stamp it was read at — the user's
`access_version` and chosen role. Changing either (a role assignment, its team or organisation, an
authenticator app, a role switch) changes the stamp (portal.access.signals), so the next request
reads it again. The stamp is on the user row, which the request loads anyway: checking costs no
query, and a change made anywhere (another device, the admin) counts at once."""

KEY = "access.remembered"


def stamp(user) -> list:
    return [user.access_version, str(user.active_role_id or "")]


def remembered(request, name: str, compute):
    """`compute()` (a JSON-able value) as the session last kept it, or fresh when the stamp moved.
    Keeping a fresh value marks the session changed, so it is saved once."""
    session = request.session
    held = session.get(KEY) or {}
    current = stamp(request.user)
    entry = held.get(name)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    session[KEY] = {**held, name: [current, value]}
    return value
