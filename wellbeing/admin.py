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
