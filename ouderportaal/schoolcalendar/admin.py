from django.contrib import admin

from ouderportaal.schoolcalendar.models import CalendarSettings, DayOff


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(admin.ModelAdmin):
    list_display = ["school", "region"]


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "name", "kind", "starts_on", "ends_on"]
    list_filter = ["school", "school_year", "kind"]
