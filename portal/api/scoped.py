"""The base of every app's read-only REST endpoints: a list and a detail view over a queryset the
app builds from its model's `visible_to(user)` (the policy table decides; ADR 10). A record you may
not see is a 404 with the words of a missing one; every record shown is audited (one event per row,
naming its patient, in one insert), and lists are paginated (portal.api.views.Pagination)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from portal.api.views import ApiView, Pagination
from portal.audit.services import audit_view_many

ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def patient_of(record):
    """The patient a record is about: its `patient`, or, for a part of a summary, its summary's."""
    return record.patient


class ScopedList(ApiView, generics.ListAPIView):
    pagination_class = Pagination
    patient_of = staticmethod(patient_of)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit_view_many(request, [(self.patient_of(record), record) for record in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ScopedDetail(ApiView, generics.RetrieveAPIView):
    not_found = "There is no record with this id that you may see"
    patient_of = staticmethod(patient_of)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Same words whether the record does not exist, is not yours to see, or the id is malformed.
            raise NotFound(self.not_found) from None

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        audit_view_many(request, [(self.patient_of(record), record)])
        return Response(self.get_serializer(record).data)
