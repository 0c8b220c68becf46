"""One shape for every API error, so a client has one thing to parse:

    {"detail": "a sentence for people", "errors": {"field": ["message", ...]}}

`errors` is empty unless the request had field-level problems. Malformed bodies (bad JSON,
too deep, too big, the wrong type) are 400, 413 or 415 here, never a 500."""

from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

VALIDATION_DETAIL = "The request has errors: see 'errors' for a message on each field"


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django's own size limit (DATA_UPLOAD_MAX_MEMORY_SIZE), met when DRF reads the body.
        exc = exceptions.APIException("The request body is too large")
        exc.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django logs it and answers 500
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        errors = data if isinstance(data, dict) else {api_settings.NON_FIELD_ERRORS_KEY: data}
        response.data = {"detail": VALIDATION_DETAIL, "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"detail": str(detail), "errors": {}}
    return response


class SafeJSONParser(JSONParser):
    """DRF's parser lets a deeply nested document raise RecursionError (a 500); this one says 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the document is nested too deeply") from None


ErrorSerializer = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    """Any other /api/ address: a JSON 404 rather than the site's HTML page."""
    raise exceptions.NotFound("There is no API endpoint at this address")
