"""Wellbeing in Django admin: sessions (reference data, no patient), and bookings shown only as the
policy table allows (PolicyAdmin), read-only: the booking service owns capacity and the waiting list."""

from django.contrib import admin

from portal.access.admin import PolicyAdmin
from wellbeing.models import Booking, Session


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "starts_at", "capacity", "status"]
    list_filter = ["category", "status"]


@admin.register(Booking)
class BookingAdmin(PolicyAdmin):
    list_display = ["__str__", "status", "places"]
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The resource library and services directory (ADR 0043): reference data, no patient. Topics are
# edited here (their HNA concern codes drive "Suggested for you"); resources and services have their
# own pages (/wellbeing/admin/resources/, /wellbeing/admin/directory/), which check and audit.
from wellbeing.models import Resource, SupportService, Topic  # noqa: E402


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    ordering = ["position", "name"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "retired_at", "updated_at"]
    list_filter = ["topics", "retired_at"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["topics"]


@admin.register(SupportService)
class SupportServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "area", "retired_at"]
    list_filter = ["category", "topics"]
    search_fields = ["name", "offers"]
    filter_horizontal = ["topics"]
