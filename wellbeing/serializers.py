"""API shapes for wellbeing sessions and bookings (read-only). A session shows no one booked and no
joining link (as the public page); a booking shows the link only once its place is booked."""

from rest_framework import serializers

from wellbeing.models import Booking, BookingStatus, Category, Session, SessionStatus
from wellbeing.services.bookings import when_text


class SessionSerializer(serializers.ModelSerializer):
    category = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Category.values))
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(SessionStatus.values))
    when = serializers.SerializerMethodField(help_text="In words, as the pages say it")
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id", "title", "category", "description", "starts_at", "ends_at", "tbc_month", "when", "online", "place",
            "capacity", "places_left", "facilitator", "who_for", "booking_closes_at", "series", "status",
        ]  # fmt: skip
        read_only_fields = fields

    def get_when(self, session) -> str:
        return when_text(session)

    def get_places_left(self, session) -> int:
        # Annotated by the API's queryset (one query for the page), as the admin list does.
        return max(0, session.capacity - (session.taken or 0))


class BookingSerializer(serializers.ModelSerializer):
    session = SessionSerializer(read_only=True)
    patient = serializers.UUIDField(source="patient_id", read_only=True, allow_null=True)
    nhs_number = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(BookingStatus.values))
    joining_link = serializers.SerializerMethodField(help_text="Only once the place is booked, for an online session")

    class Meta:
        model = Booking
        fields = [
            "id", "session", "patient", "nhs_number", "name", "email", "phone", "carers", "places", "status",
            "attended", "reminded_at", "cancelled_at", "created_at", "joining_link",
        ]  # fmt: skip
        read_only_fields = fields

    def get_nhs_number(self, booking) -> str | None:
        return booking.patient.nhs_number if booking.patient_id else None

    def get_joining_link(self, booking) -> str | None:
        session = booking.session
        return session.joining_link if session.online and booking.status == BookingStatus.BOOKED else None
