from django.contrib import admin

from ouderportaal.absences.models import Absence


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["pupil", "date", "part_of_day", "reason", "excused"]
    list_filter = ["reason", "excused", "pupil__school"]
    date_hierarchy = "date"
    raw_id_fields = ["pupil"]
