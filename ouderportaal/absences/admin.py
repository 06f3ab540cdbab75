from django.contrib import admin

from ouderportaal.absences.models import Absence, AttendanceSettings, LeaveRequest, SickReport


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["pupil", "date", "part_of_day", "reason", "excused"]
    list_filter = ["reason", "excused", "pupil__school"]
    date_hierarchy = "date"
    raw_id_fields = ["pupil"]


@admin.register(SickReport)
class SickReportAdmin(admin.ModelAdmin):
    list_display = ["pupil", "starts_on", "ends_on", "part_of_day", "late"]
    list_filter = ["late", "pupil__school"]
    raw_id_fields = ["pupil", "reported_by", "ended_by"]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(admin.ModelAdmin):
    list_display = ["pupil", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["status", "kind", "pupil__school"]
    raw_id_fields = ["pupil", "requested_by", "decided_by"]
    exclude = ["statement", "letter"]


@admin.register(AttendanceSettings)
class AttendanceSettingsAdmin(admin.ModelAdmin):
    list_display = ["school", "report_cutoff", "morning_hours", "afternoon_hours", "reporters"]
    exclude = ["logo"]
