"""A school's own absence settings: the cut-off time for sick reports, the hours of a morning and an afternoon
(for the DUO count), who may report, and the logo on decision letters."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ouderportaal.absences.models import AttendanceSettings
from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.core.audit import log_action

MAX_LOGO_BYTES = 512 * 1024


class AttendanceSettingsForm(forms.ModelForm):
    logo_file = forms.FileField(
        label=gettext_lazy("Logo voor besluitbrieven (PNG of JPEG, hooguit 512 kB)"), required=False
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Logo verwijderen"), required=False)

    class Meta:
        model = AttendanceSettings
        fields = ["report_cutoff", "morning_hours", "afternoon_hours", "reporters"]
        widgets = {"report_cutoff": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean_morning_hours(self):
        return self._hours("morning_hours")

    def clean_afternoon_hours(self):
        return self._hours("afternoon_hours")

    def _hours(self, name):
        value = self.cleaned_data[name]
        if not 0 < value <= 6:
            raise forms.ValidationError(gettext_lazy("Vul een aantal uren tussen 0 en 6 in."))
        return value

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if upload is None:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(gettext_lazy("Het logo is te groot: hooguit 512 kB."))
        head = upload.read(8)
        if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
            raise forms.ValidationError(gettext_lazy("Het logo moet een PNG- of JPEG-bestand zijn."))
        upload.seek(0)
        return upload.read()


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def absence_settings(request):
    schools = list(office_schools(request.user).order_by("name"))
    if not schools:
        raise Http404("Geen school waar u instellingen beheert")
    school = next((s for s in schools if str(s.pk) == request.GET.get("school", "")), schools[0])
    settings = AttendanceSettings.for_school(school)
    form = AttendanceSettingsForm(request.POST or None, request.FILES or None, instance=settings)
    if form.is_valid():
        settings = form.save(commit=False)
        if form.cleaned_data["logo_file"]:
            settings.logo = form.cleaned_data["logo_file"]
        elif form.cleaned_data["remove_logo"]:
            settings.logo = None
        settings.save()
        log_action(
            request.user,
            "school.absence_settings",
            settings,
            school_id=school.pk,
            report_cutoff=str(settings.report_cutoff),
            morning_hours=str(settings.morning_hours),
            afternoon_hours=str(settings.afternoon_hours),
            reporters=settings.reporters,
            logo=bool(settings.logo),
        )
        messages.success(request, _("Instellingen opgeslagen."))
        return redirect(f"{reverse('backoffice:absence_settings')}?school={school.pk}")
    context = {"school": school, "schools": schools, "form": form, "has_logo": bool(settings.logo)}
    return render(request, "backoffice/absence_settings.html", context | {"section": "backoffice"})
