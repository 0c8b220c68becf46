"""The OpenAPI schema describes the errors every operation can answer with, without each view
saying so (DEFAULT_SCHEMA_CLASS in settings).

The rules follow from what the operation takes, the same way the API behaves:
- 401 for every operation behind authentication: no credentials, or a token that is not valid,
  revoked, expired, or acts for staff without two-factor authentication;
- 400 when it takes query parameters (paging) or a body: a value of the wrong type or out of range;
- 413 and 415 when it takes a body: too large, or not JSON;
- 403 when it changes something: the role in use may not, or a session request lacks its CSRF token;
- 404 when its path names a record: none with that id that you may see (or a malformed id).
A view that declares its own response for one of these codes keeps its own words."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from portal.api.errors import ErrorSerializer

DESCRIPTIONS = {
    400: "The request has errors: a query parameter or body field is not valid ('errors' names each one)",
    401: "No API token or session; or the token is not valid, has been revoked or has expired, or acts for a "
    "staff user who has not set up two-factor authentication",
    403: "The role in use may not do this (or, signed in with a session, the CSRF token is missing)",
    404: "There is no record with this id that you may see (the same answer whether it exists or not)",
    413: "The request body is too large",
    415: "The request body is not JSON: send it with 'Content-Type: application/json'",
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def error_codes(operation: dict, method: str) -> list[int]:
    """The error statuses an operation can answer with, from what it takes (see the module docstring)."""
    locations = {parameter.get("in") for parameter in operation.get("parameters", [])}
    has_body = "requestBody" in operation
    codes = []
    if any(operation.get("security", [])):  # at least one way to authenticate: a bad one is a 401
        codes.append(401)
    if "query" in locations or has_body:
        codes.append(400)
    if has_body:
        codes += [413, 415]
    if method in UNSAFE_METHODS:
        codes.append(403)
    if "path" in locations:
        codes.append(404)
    return codes


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None  # excluded from the schema
        responses = operation.setdefault("responses", {})
        for code in error_codes(operation, self.method):
            if str(code) not in responses:
                response = self._get_response_for_code(ErrorSerializer, str(code))
                response["description"] = DESCRIPTIONS[code]
                responses[str(code)] = response
        operation["responses"] = dict(sorted(responses.items()))
        return operation
