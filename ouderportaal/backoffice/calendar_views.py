"""The school calendar in the back-office: holidays (defaulting to the national ones of the school's region),
public holidays and study days per school year, editable by the administration and the director."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.core.audit import log_action
from ouderportaal.school.models import SchoolYear
from ouderportaal.school.pages import current_start_year
from ouderportaal.schoolcalendar import national
from ouderportaal.schoolcalendar.calendar import SchoolCalendar, take_over_defaults
from ouderportaal.schoolcalendar.models import CalendarSettings, DayOff


class DateInput(forms.DateInput):
    input_type = "date"


class DayOffForm(forms.ModelForm):
    class Meta:
        model = DayOff
        fields = ["name", "kind", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(format="%Y-%m-%d"), "ends_on": DateInput(format="%Y-%m-%d")}

    def __init__(self, *args, school_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_year = school_year

    def clean(self):
        data = super().clean()
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last:
            if last < first:
                self.add_error("ends_on", gettext_lazy("De laatste dag ligt vóór de eerste dag."))
            # The summer holiday may run into the next school year; anything else must lie in this one.
            elif not (self.school_year.starts_on <= first <= self.school_year.ends_on) or (last - first).days > 70:
                self.add_error("starts_on", gettext_lazy("Kies een datum in dit schooljaar."))
        return data


class RegionForm(forms.ModelForm):
    class Meta:
        model = CalendarSettings
        fields = ["region"]


def _school_and_year(request):
    schools = list(office_schools(request.user).order_by("name"))
    if not schools:
        raise Http404("Geen school waar u de kalender beheert")
    wanted = request.GET.get("school", "")
    school = next((s for s in schools if str(s.pk) == wanted), schools[0])
    years = [current_start_year() - 1, current_start_year(), current_start_year() + 1]
    try:
        start_year = int(request.GET.get("jaar", ""))
    except ValueError:
        start_year = current_start_year()
    if start_year not in years:
        start_year = current_start_year()
    return school, schools, SchoolYear(start_year=start_year), years


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def school_calendar(request):
    school, schools, year, years = _school_and_year(request)
    here = f"{reverse('backoffice:calendar')}?school={school.pk}&jaar={year.start_year}"
    settings = CalendarSettings.objects.filter(school=school).first() or CalendarSettings(school=school)
    action = request.POST.get("action") if request.method == "POST" else None
    add_form = DayOffForm(request.POST if action == "add" else None, school_year=year)
    region_form = RegionForm(request.POST if action == "region" else None, instance=settings)
    if action == "region" and region_form.is_valid():
        region_form.save()
        log_action(request.user, "calendar.region", settings, school_id=school.pk, region=settings.region)
        messages.success(request, _("Vakantieregio opgeslagen."))
        return redirect(here)
    if action == "add" and add_form.is_valid():
        with transaction.atomic():
            day_off = add_form.save(commit=False)
            day_off.school, day_off.school_year = school, take_over_defaults(school, year.start_year)
            day_off.save()
            log_action(request.user, "calendar.add", day_off, school_id=school.pk, name=day_off.name)
        messages.success(request, _("Toegevoegd: %(name)s.") % {"name": day_off.name})
        return redirect(here)
    if action == "delete":
        with transaction.atomic():
            school_year = take_over_defaults(school, year.start_year)
            rows = DayOff.objects.filter(school=school, school_year=school_year)
            day_off = rows.filter(name=request.POST.get("name", ""), starts_on=request.POST.get("starts_on") or None)
            day_off = day_off.first()
            if day_off is None:
                raise Http404("Geen vrije dag")
            log_action(request.user, "calendar.delete", day_off, school_id=school.pk, name=day_off.name)
            day_off.delete()
        messages.success(request, _("Verwijderd."))
        return redirect(here)
    calendar = SchoolCalendar(school, [year.start_year])
    customised = DayOff.objects.filter(school=school, school_year__start_year=year.start_year).exists()
    context = {
        "school": school,
        "schools": schools,
        "year": year,
        "years": [SchoolYear(start_year=y) for y in years],
        "periods": calendar.periods,
        "customised": customised,
        "national_known": year.start_year in national.SCHOOL_HOLIDAYS,
        "add_form": add_form,
        "region_form": region_form,
        # The summer holiday before the year belongs to the previous school year's table.
        "first_day": SchoolCalendar(school, [year.start_year - 1, year.start_year]).first_school_day(year.start_year)
        if calendar.periods
        else None,
        "section": "backoffice",
    }
    return render(request, "backoffice/calendar.html", context)
