from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ouderportaal.core.audit import log_action
from ouderportaal.core.securitylog import event
from ouderportaal.school import models


class GuardianshipInline(admin.TabularInline):
    model = models.Guardianship
    extra = 0
    autocomplete_fields = ["guardian", "pupil"]


class ContactDetailInline(admin.TabularInline):
    model = models.ContactDetail
    extra = 0


class EnrolmentInline(admin.TabularInline):
    model = models.Enrolment
    extra = 0


class EmergencyContactInline(admin.TabularInline):
    model = models.EmergencyContact
    extra = 0


@admin.register(models.Board)
class BoardAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "brin", "city", "board"]
    search_fields = ["name", "brin"]


@admin.register(models.SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["school_year"]

    @admin.display(description=_("schooljaar"), ordering="start_year")
    def school_year(self, year):
        return year.name


@admin.register(models.Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school", "email"]
    list_filter = ["school"]
    search_fields = ["surname", "first_name"]


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "year_levels", "school", "school_year"]
    list_filter = ["school", "school_year"]
    filter_horizontal = ["teachers"]


@admin.register(models.Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ["name", "birth_date", "school", "enrolled_on", "left_on"]
    list_filter = ["school"]
    search_fields = ["surname", "roepnaam", "first_names"]
    readonly_fields = ["public_id"]
    inlines = [EnrolmentInline, GuardianshipInline, EmergencyContactInline]

    @admin.display(description=_("naam"), ordering="surname")
    def name(self, pupil):
        return pupil.full_name


@admin.register(models.Household)
class HouseholdAdmin(admin.ModelAdmin):
    search_fields = ["name", "street"]


@admin.register(models.Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ["name", "household", "user"]
    search_fields = ["surname", "first_name", "contacts__value"]
    inlines = [ContactDetailInline, GuardianshipInline]
    raw_id_fields = ["user"]

    @admin.display(description=_("naam"), ordering="surname")
    def name(self, guardian):
        return guardian.full_name


@admin.register(models.GeneralPractitioner)
class GeneralPractitionerAdmin(admin.ModelAdmin):
    search_fields = ["name", "practice"]


@admin.register(models.MedicalInfo)
class MedicalInfoAdmin(admin.ModelAdmin):
    """Special-category data: operators' reads are audited like everyone's; the list shows no medical text."""

    raw_id_fields = ["pupil"]
    list_display = ["pupil", "last_confirmed_on"]
    MEDICAL_FIELDS = {"allergies", "medication", "conditions", "diet", "remarks"}

    def lookup_allowed(self, lookup, value, request):
        # `?conditions__icontains=diabetes` would list pupils by a condition, unaudited: refused (400).
        if lookup.split("__")[0] in self.MEDICAL_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        info = self.get_object(request, object_id)
        if info is not None and request.method == "GET":
            log_action(request.user, "pupil.medical.read", info.pupil, via="admin")
            event("medical.read", request, pupil=info.pupil_id, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # The history names the medical fields that changed and who changed them: a read of medical data too.
        info = self.get_object(request, object_id)
        if info is not None:
            log_action(request.user, "pupil.medical.read", info.pupil, via="admin-history")
            event("medical.read", request, pupil=info.pupil_id, via="admin-history")
        return super().history_view(request, object_id, extra_context)


@admin.register(models.StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role"]
    list_filter = ["school", "role"]
