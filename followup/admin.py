"""Follow-up records in Django admin: read-only (the services own every change and its history),
and shown only as the policy table allows (PolicyAdmin)."""

from django.contrib import admin

from followup.models import CheckIn, Concern, Pathway, Result, SurveillanceTest
from portal.access.admin import PolicyAdmin


class ReadOnlyPolicyAdmin(PolicyAdmin):
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Pathway, type("PathwayAdmin", (ReadOnlyPolicyAdmin,), {"list_display": ["__str__", "anchor_date"]}))
admin.site.register(
    SurveillanceTest, type("SurveillanceTestAdmin", (ReadOnlyPolicyAdmin,), {"list_display": ["__str__", "status"]})
)
admin.site.register(Result, type("ResultAdmin", (ReadOnlyPolicyAdmin,), {"list_display": ["__str__", "received_at"]}))
admin.site.register(CheckIn, type("CheckInAdmin", (ReadOnlyPolicyAdmin,), {"list_display": ["__str__", "due_by"]}))
admin.site.register(Concern, type("ConcernAdmin", (ReadOnlyPolicyAdmin,), {"list_display": ["__str__", "status"]}))
