"""Health and wellbeing (issue 13): group sessions that service admins schedule, and the bookings
patients (and anyone else, by request) make for them. A booking's places are the person and the
carers who come with them; a session's places are never more than its capacity (services.bookings
takes them under the session's row lock)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q, Sum

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel
from portal.people.models import TumourSite


class Category(models.TextChoices):
    THERAPIES = "therapies", "Physiotherapy, occupational therapy and dietetics"
    PSYCHOLOGY = "psychology", "Psychology"
    SACT = "sact", "Systemic anti-cancer therapy"
    OTHER = "other", "Other"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Session(BaseModel):
    """One group session. Sessions are not patient records: the public list shows them (no one's
    name), but the joining link only to people booked."""

    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)  # null: "to be confirmed" in tbc_month
    ends_at = models.DateTimeField(null=True, blank=True)
    tbc_month = models.DateField(null=True, blank=True, help_text="The first of the month it will be in")
    online = models.BooleanField(default=False)
    joining_link = models.URLField(blank=True)
    place = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField()
    facilitator = models.CharField(max_length=200, blank=True)
    who_for = models.CharField(max_length=300, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    series = models.UUIDField(null=True, blank=True, db_index=True)  # sessions created together
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    topics = models.ManyToManyField("wellbeing.Topic", blank=True, related_name="sessions")

    class Meta:
        ordering = [F("starts_at").asc(nulls_last=True), "tbc_month", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="wellbeing_session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=False) | Q(tbc_month__isnull=False),
                name="wellbeing_session_has_a_date_or_month",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="wellbeing_session_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="wellbeing_session_upcoming")]

    def __str__(self):
        return self.title

    def places_taken(self) -> int:
        return Booking.objects.filter(session=self, status__in=HOLDING).aggregate(n=Sum("places"))["n"] or 0


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    REQUESTED = "requested", "Asked for a place (waiting for an admin to confirm)"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


# What holds places: a confirmed booking, and a request an admin has not answered yet.
HOLDING = (BookingStatus.BOOKED, BookingStatus.REQUESTED)
ACTIVE = (*HOLDING, BookingStatus.WAITING)


class BookingQuerySet(PolicyQuerySet):
    kind = RecordKind.WELLBEING_BOOKING


class Booking(BaseModel):
    """A place (or a place on the waiting list) for a patient with an account, or for anyone who
    asked with their name and contact details (no patient)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    patient = models.ForeignKey("people.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True)  # for a request without an account
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    carers = models.PositiveSmallIntegerField(default=0)
    places = models.PositiveSmallIntegerField(default=1)  # 1 + carers, kept for SUM under the lock
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "patient"],
                condition=Q(patient__isnull=False) & ~Q(status="cancelled"),
                name="wellbeing_booking_once_per_patient",
            ),
            models.CheckConstraint(condition=Q(places=F("carers") + 1), name="wellbeing_booking_places"),
            models.CheckConstraint(
                condition=Q(patient__isnull=False) | ~Q(name=""), name="wellbeing_booking_names_someone"
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="wellbeing_booking_session")]

    def __str__(self):
        return f"Booking for {self.session}"

    @property
    def who(self) -> str:
        return self.patient.full_name if self.patient_id else self.name


def new_series() -> uuid.UUID:
    return uuid.uuid4()


# The resource library and the services directory (issue 13 items 1 and 2, ADR 0043). Reference
# data, not patient records: anyone may read what is live; service admins add, edit and retire.


class Topic(BaseModel):
    """A subject people look for help with ("Managing fatigue"). Data, not code (loaded by migration
    0003 from wellbeing/topics_v1.py, edited in Django admin): `concern_codes` are the HNA checklist
    items (f"{category}-{item}", e.g. "physical-fatigue") that make it a suggestion for a patient."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    concern_codes = ArrayField(models.CharField(max_length=60), blank=True, default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Format(models.TextChoices):
    WEB = "web", "Web page"
    PDF = "pdf", "PDF"
    EASY_READ = "easy_read", "Easy read"
    OTHER_LANGUAGES = "other_languages", "Other languages"
    AUDIO = "audio", "Audio"
    OTHER = "other", "Other"


class Resource(BaseModel):
    """One item of information: a link to somewhere else, or text of our own (or both)."""

    title = models.CharField(max_length=200)
    summary = models.TextField()
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    # Empty: for anyone, whatever their cancer.
    tumour_sites = ArrayField(models.CharField(max_length=20, choices=TumourSite.choices), blank=True, default=list)
    formats = ArrayField(models.CharField(max_length=20, choices=Format.choices), blank=True, default=list)
    url = models.URLField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(body=""), name="wellbeing_resource_has_a_link_or_text")
        ]
        indexes = [models.Index(fields=["retired_at", "title"], name="wellbeing_resource_live")]

    def __str__(self):
        return self.title


class ServiceCategory(models.TextChoices):
    EMOTIONAL = "emotional", "Emotional and psychological support"
    FINANCIAL = "financial", "Financial and benefits advice"
    ACTIVITY = "activity", "Physical activity"
    DIET = "diet", "Diet and nutrition"
    PRACTICAL = "practical", "Practical help"
    CARERS = "carers", "Support for carers"
    INFORMATION = "information", "Information centre"
    COMPLEMENTARY = "complementary", "Complementary therapies"
    OTHER = "other", "Other"


class Referral(models.TextChoices):
    SELF = "self", "Anyone can contact them directly"
    PROFESSIONAL = "professional", "A health professional refers you"
    EITHER = "either", "Contact them directly, or a health professional can refer you"


class SupportService(BaseModel):
    """An entry in the services directory: somewhere to signpost people to, and how to get there."""

    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=ServiceCategory.choices)
    offers = models.TextField()
    area = models.CharField(max_length=200)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    how_referred = models.CharField(max_length=20, choices=Referral.choices)
    referral_detail = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="services")
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email="") | ~Q(website=""), name="wellbeing_service_has_a_contact"
            )
        ]
        indexes = [models.Index(fields=["retired_at", "name"], name="wellbeing_service_live")]

    def __str__(self):
        return self.name
