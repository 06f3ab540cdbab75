from django.contrib import admin

from ouderportaal.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """For operators: what was imported when, by whom, with which result. Runs are records, never edited."""

    list_display = ["created_at", "school", "source", "file_name", "actor", "status", "error_count"]
    list_filter = ["source", "status", "school"]
    list_select_related = ["school", "actor"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
