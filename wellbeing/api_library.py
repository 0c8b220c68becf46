"""The resource library and services directory API (ADR 0043): read-only lists and details of what
is live, with the pages' search and filters. Reference data with no one's details in it, so any
signed-in API client reads it and nothing is written to the access log (portal.api.scoped's audit
is for patient records). A retired entry is a 404, as one that never existed."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError

from portal.api.scoped import ID
from portal.api.views import ERRORS, ApiView, Pagination
from portal.people.models import TumourSite
from wellbeing.models import Format, ServiceCategory
from wellbeing.serializers_library import ResourceSerializer, ServiceSerializer
from wellbeing.services import library

WORDS = OpenApiParameter("q", OpenApiTypes.STR, description="Words to search for in the title and text")
TOPIC = OpenApiParameter("topic", OpenApiTypes.STR, description="A topic's slug, for example fatigue")
SITE = OpenApiParameter("site", OpenApiTypes.STR, enum=TumourSite.values, description="For this cancer type")
# Not "format": Django REST framework reads ?format= to choose how to answer.
FORMAT = OpenApiParameter("resource_format", OpenApiTypes.STR, enum=Format.values, description="In this format")
CATEGORY = OpenApiParameter("category", OpenApiTypes.STR, enum=ServiceCategory.values, description="Of this kind")


def _choice(request, name, allowed) -> str:
    """The parameter's value, "" if not given; given, it must be in the list (even given empty)."""
    value = request.query_params.get(name)
    if value is not None and value not in allowed:
        raise ValidationError({name: [f"{name} must be one of: {', '.join(allowed)}"]})
    return value or ""


def _text(request, name) -> str:
    return request.query_params.get(name, "")


class _LiveDetail(ApiView, generics.RetrieveAPIView):
    not_found = "There is no entry with this id"

    def get_object(self):
        try:
            return super().get_object()
        except Http404:  # not found, retired, or a malformed id: the same JSON 404
            raise NotFound(self.not_found) from None


@extend_schema_view(
    get=extend_schema(
        tags=["wellbeing"],
        summary="List and search the resource library",
        description="Live resources (not retired), by title, or best match first when searching. A resource "
        "with no cancer types is for anyone and matches every `site`.",
        parameters=[WORDS, TOPIC, SITE, FORMAT],
        responses={200: ResourceSerializer, 400: ERRORS[400], 401: ERRORS[401]},
    )
)
class ResourceList(ApiView, generics.ListAPIView):
    serializer_class = ResourceSerializer
    pagination_class = Pagination

    def get_queryset(self):
        request = self.request
        site = _choice(request, "site", TumourSite.values)
        fmt = _choice(request, "resource_format", Format.values)
        q = _text(request, "q")
        found = library.search_resources(q, _text(request, "topic"), site, fmt)
        return found if q.strip() else found.order_by("title", "id")


@extend_schema_view(
    get=extend_schema(
        tags=["wellbeing"],
        summary="One resource in the library",
        parameters=[ID],
        responses={200: ResourceSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class ResourceDetail(_LiveDetail):
    serializer_class = ResourceSerializer
    not_found = "There is no resource in the library with this id"

    def get_queryset(self):
        return library.live_resources().prefetch_related("topics")


@extend_schema_view(
    get=extend_schema(
        tags=["wellbeing"],
        summary="List and search the services directory",
        description="Live directory entries (not retired), by name, or best match first when searching.",
        parameters=[WORDS, CATEGORY, TOPIC],
        responses={200: ServiceSerializer, 400: ERRORS[400], 401: ERRORS[401]},
    )
)
class ServiceList(ApiView, generics.ListAPIView):
    serializer_class = ServiceSerializer
    pagination_class = Pagination

    def get_queryset(self):
        request = self.request
        category = _choice(request, "category", ServiceCategory.values)
        q = _text(request, "q")
        found = library.search_directory(q, category, _text(request, "topic"))
        return found if q.strip() else found.order_by("name", "id")


@extend_schema_view(
    get=extend_schema(
        tags=["wellbeing"],
        summary="One service in the directory",
        parameters=[ID],
        responses={200: ServiceSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class ServiceDetail(_LiveDetail):
    serializer_class = ServiceSerializer
    not_found = "There is no service in the directory with this id"

    def get_queryset(self):
        return library.live_services().prefetch_related("topics")
