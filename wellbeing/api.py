"""Wellbeing API on the shared base (portal.api.scoped, ADR 10): sessions are reference data (any
signed-in API client reads them, as anyone reads the public list); bookings are scoped by the policy
table (`visible_to(user)`: a patient's own, every booking for service admins) and every booking shown
is audited. Read-only: booking goes through the pages, which take the session's lock."""

from django.db.models import Prefetch, Q, Sum
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.api.scoped import ID, ScopedDetail, ScopedList
from portal.api.views import ERRORS, ApiView, Pagination
from wellbeing.models import HOLDING, Booking, Session
from wellbeing.serializers import BookingSerializer, SessionSerializer

BOOKING_SCOPE = policy.describe(RecordKind.WELLBEING_BOOKING)


def sessions():
    held = Sum("bookings__places", filter=Q(bookings__status__in=HOLDING), default=0)
    return Session.objects.annotate(taken=held).order_by("starts_at", "tbc_month", "id")


def booking_list(user):
    """Bookings with their patients, and their sessions with places held, in three queries a page."""
    return (
        Booking.objects.visible_to(user)
        .select_related("patient")
        .prefetch_related(Prefetch("session", queryset=sessions()))
        .order_by("-created_at", "id")
    )


@extend_schema_view(
    get=extend_schema(
        tags=["wellbeing"],
        summary="List wellbeing sessions",
        description="Every session, scheduled or cancelled, soonest first, with places left. No one's "
        "details and no joining link: sessions are public, as the sessions page.",
        responses={200: SessionSerializer, 401: ERRORS[401]},
    )
)
class SessionList(ApiView, generics.ListAPIView):
    serializer_class = SessionSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return sessions()


@extend_schema_view(
    get=extend_schema(
        tags=["wellbeing"],
        summary="One wellbeing session",
        parameters=[ID],
        responses={200: SessionSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class SessionDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = SessionSerializer

    def get_queryset(self):
        return sessions()

    def get_object(self):
        try:
            return super().get_object()
        except Http404:  # not found, or a malformed id: the same JSON 404
            raise NotFound("There is no session with this id") from None


@extend_schema_view(
    get=extend_schema(
        tags=["wellbeing"],
        summary="List the wellbeing bookings you may see",
        description=f"{BOOKING_SCOPE} Newest first. Every booking listed is recorded in the access log.",
        responses={200: BookingSerializer, 401: ERRORS[401]},
    )
)
class BookingList(ScopedList):
    serializer_class = BookingSerializer

    def get_queryset(self):
        return booking_list(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["wellbeing"],
        summary="One wellbeing booking you may see",
        description=f"{BOOKING_SCOPE} One you may not see is 404, as if it did not exist.",
        parameters=[ID],
        responses={200: BookingSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class BookingDetail(ScopedDetail):
    serializer_class = BookingSerializer
    not_found = "There is no booking with this id that you may see"

    def get_queryset(self):
        return booking_list(self.request.user)
