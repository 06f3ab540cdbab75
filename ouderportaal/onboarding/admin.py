from django.contrib import admin

from ouderportaal.onboarding.models import AccountRequest


@admin.register(AccountRequest)
class AccountRequestAdmin(admin.ModelAdmin):
    """For operators; the administration decides in the back-office (/beheer/), where decisions are audited."""

    list_display = ["created_at", "school", "email", "status", "confirmed_at", "decided_at"]
    list_filter = ["status", "school"]
    search_fields = ["email", "child_surname"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AccountRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
