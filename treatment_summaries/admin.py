"""Treatment summaries in Django admin: reference data only, no patient. A trust's setting for who
signs off (ADR 0051) and the prompts GP actions are chosen from. Summaries themselves are written
and read on the staff pages, whose services check and audit."""

from django.contrib import admin

from portal.people.models import Organisation
from treatment_summaries.models import GPActionOption, TrustSummarySettings


@admin.register(TrustSummarySettings)
class TrustSummarySettingsAdmin(admin.ModelAdmin):
    list_display = ["trust", "sign_off_by"]
    list_select_related = ["trust"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "trust":
            kwargs["queryset"] = Organisation.objects.filter(kind=Organisation.Kind.TRUST)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(GPActionOption)
class GPActionOptionAdmin(admin.ModelAdmin):
    list_display = ["text", "code", "needs_details", "position", "retired"]
    list_filter = ["retired"]

    def get_readonly_fields(self, request, obj=None):
        # The API and FHIR name a prompt by its code: once made, it stays.
        return ["code"] if obj else []
