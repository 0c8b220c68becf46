"""Notifications in the admin: read-only, so the record of what was sent stays true; the context is
not shown at all because it may hold a short-lived secret such as a passcode. Who sees which rows
(they hold patients' contact details) is the policy table's: PolicyAdmin."""

from django.contrib import admin, messages

from portal.access.admin import PolicyAdmin
from portal.outbox import services
from portal.outbox.models import Notification


@admin.register(Notification)
class NotificationAdmin(PolicyAdmin):
    list_display = ["created_at", "template", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["idempotency_key", "provider_reference"]
    date_hierarchy = "created_at"
    fields = [
        "template",
        "channel",
        "recipient",
        "patient",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_reference",
        "sent_at",
        "idempotency_key",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    list_select_related = False
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        # Retrying changes the row's status, so it needs the change permission the form itself never offers.
        return request.user.has_perm("outbox.change_notification")

    @admin.action(description="Retry selected failed notifications now", permissions=["retry"])
    def retry_now(self, request, queryset):
        count = services.retry_failed(list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - count
        self.message_user(request, f"{count} notification(s) queued to send again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} not retried: only failed notifications can be.", messages.WARNING)
