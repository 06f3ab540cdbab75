from django.contrib import admin

from ouderportaal.core.models import AuditLogEntry, OutgoingMail


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


HIDDEN_MAIL_FIELDS = ["body_text", "body_html"]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Operators see delivery state; the body stays out of the list (it may hold personal data)."""

    list_display = ["created_at", "template", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to", "message_id"]
    # The bodies stay hidden: they hold live set-password links and personal data.
    exclude = HIDDEN_MAIL_FIELDS
    readonly_fields = [f.name for f in OutgoingMail._meta.fields if f.name not in HIDDEN_MAIL_FIELDS]

    def has_add_permission(self, request):
        return False
