from django.contrib import admin

from ouderportaal.results.models import Assessment, ResultsClosure, TestResult


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "supplier", "level_scheme", "nationally_normed"]


@admin.register(TestResult)
class TestResultAdmin(admin.ModelAdmin):
    list_display = ["pupil", "assessment", "school_year", "moment", "level"]
    list_filter = ["school_year", "assessment"]
    raw_id_fields = ["pupil"]


@admin.register(ResultsClosure)
class ResultsClosureAdmin(admin.ModelAdmin):
    list_display = ["school", "starts_at", "ends_at", "reason"]
