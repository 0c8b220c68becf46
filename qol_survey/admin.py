"""Instruments and value sets in Django admin, to look at: they change only by loading a new version
(data migration, or `manage.py qol_load_value_set`), so responses keep the version they were scored on."""

from django.contrib import admin

from portal.access.admin import PolicyAdmin
from qol_survey.models import Instrument, Invitation, Item, Response, Scale, ValueSet, ValueSetRow


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(ReadOnly, admin.TabularInline):
    model = Item
    fields = ["position", "code", "part", "wording", "lowest", "highest"]
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "code", "version", "status", "wording_source"]
    list_filter = ["code", "status"]
    inlines = [ItemInline]


@admin.register(Scale)
class ScaleAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "item_codes", "instrument"]
    list_filter = ["instrument", "kind"]

    @admin.display(description="Items")
    def item_codes(self, obj):
        return ", ".join(item.code for item in obj.items.order_by("position"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("instrument").prefetch_related("items")


@admin.register(ValueSet)
class ValueSetAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "is_demo", "source", "created_at"]


@admin.register(ValueSetRow)
class ValueSetRowAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["state", "index", "value_set"]
    list_filter = ["value_set"]
    search_fields = ["state"]
    list_select_related = ["value_set"]


class ReadOnlyPolicyAdmin(PolicyAdmin):
    """Invitations and responses: read-only, shown only as the policy table allows (dispatch and the
    answering pages own every change)."""

    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(
    Invitation, type("InvitationAdmin", (ReadOnlyPolicyAdmin,), {"list_display": ["__str__", "status", "invited_on"]})
)
admin.site.register(
    Response, type("ResponseAdmin", (ReadOnlyPolicyAdmin,), {"list_display": ["__str__", "submitted_at", "source"]})
)
