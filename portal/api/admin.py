"""API tokens are issued here. The token is generated on save and shown to the admin once, in
the confirmation message; only its keyed hash is kept. Tokens are revoked, never deleted, so
the record of which client held which token stays."""

from django.contrib import admin, messages

from portal.api import tokens
from portal.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["client_name", "user", "prefix", "status", "created_at", "last_used_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["client_name", "prefix", "user__email"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["client_name", "user", "expires_at"]
        return ["client_name", "user", "prefix", "status", "created_at", "last_used_at", "expires_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Who a token acts for cannot change under a client's feet: issue a new token instead.
        return ["user", "prefix", "status", "created_at", "last_used_at", "revoked_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        raw = obj.set_new_token()
        super().save_model(request, obj, form, change)
        messages.success(
            request,
            f"The API token for {obj.client_name} is {raw} . Copy it now and give it to the client "
            "securely: it will not be shown again.",
        )

    @admin.action(description="Revoke the selected API tokens", permissions=["change"])
    def revoke(self, request, queryset):
        count = sum(tokens.revoke(token, actor=request.user) for token in queryset)
        self.message_user(request, f"Revoked {count} API token{'s' if count != 1 else ''}", messages.SUCCESS)
