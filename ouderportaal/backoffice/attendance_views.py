"""Staff record or correct absences per group per day: one row per pupil, plain form controls in tab order."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ouderportaal.absences import services
from ouderportaal.absences.models import Absence, Reason
from ouderportaal.backoffice.absence_views import chosen_day, chosen_school, visible_groups
from ouderportaal.backoffice.access import staff_page
from ouderportaal.school.models import Pupil, SchoolYear

PARTS = [("", "—")] + [(value, label) for value, label in Absence.PartOfDay.choices]


def _rows(group, day):
    pupils = list(
        Pupil.objects.filter(enrolments__group=group)
        .order_by("surname", "roepnaam")
        .only("public_id", "roepnaam", "voorvoegsel", "surname")
    )
    absences = {}
    for absence in Absence.objects.filter(pupil__in=pupils, date=day).order_by("part_of_day"):
        absences.setdefault(absence.pupil_id, absence)
    return [(pupil, absences.get(pupil.pk)) for pupil in pupils]


def _entries(request, rows):
    """Read the posted rows; returns (entries, errors) — an error names the pupil and what is wrong."""
    entries, errors = [], []
    for pupil, _absence in rows:
        key = pupil.public_id
        if f"part-{key}" not in request.POST:
            continue  # not on the form that was sent (a pupil added meanwhile): leave as it is
        part = request.POST.get(f"part-{key}", "")
        reason = request.POST.get(f"reason-{key}", "")
        note = request.POST.get(f"note-{key}", "").strip()
        minutes = request.POST.get(f"minutes-{key}", "").strip()
        if part not in dict(PARTS) or (part and reason not in Reason.values):
            errors.append(_("%(name)s: kies een dagdeel en een reden.") % {"name": pupil.full_name})
            continue
        if part == Absence.PartOfDay.LATE and not (minutes.isdigit() and 1 <= int(minutes) <= 240):
            errors.append(_("%(name)s: vul het aantal minuten te laat in (1 tot 240).") % {"name": pupil.full_name})
            continue
        if len(note) > 500:
            errors.append(_("%(name)s: de opmerking is langer dan 500 tekens.") % {"name": pupil.full_name})
            continue
        entries.append((pupil, part, reason, int(minutes) if minutes.isdigit() else None, note))
    return entries, errors


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def attendance(request):
    school, schools = chosen_school(request)
    day = min(chosen_day(request), timezone.localdate())  # absences are recorded afterwards; leave goes ahead
    groups = list(visible_groups(request.user, school, SchoolYear.start_year_for(day)).order_by("year_levels", "name"))
    group = next((g for g in groups if str(g.pk) == request.GET.get("groep")), groups[0] if groups else None)
    rows = _rows(group, day) if group else []
    errors = []
    if request.method == "POST" and group is not None:
        entries, errors = _entries(request, rows)
        if not errors:
            try:
                changed = services.record_attendance(day=day, entries=entries, acting_user=request.user, school=school)
            except services.RuleError as error:
                errors.append(str(error))
            else:
                messages.success(request, _("Opgeslagen: %(count)s wijziging(en).") % {"count": changed})
                return redirect(f"{request.path}?school={school.pk}&groep={group.pk}&datum={day:%Y-%m-%d}")
    posted = request.POST if errors else None
    table = [
        {
            "pupil": pupil,
            "part": posted.get(f"part-{pupil.public_id}", "") if posted else (absence.part_of_day if absence else ""),
            "reason": posted.get(f"reason-{pupil.public_id}", "") if posted else (absence.reason if absence else ""),
            "minutes": posted.get(f"minutes-{pupil.public_id}", "")
            if posted
            else (absence.minutes_late or "" if absence else ""),
            "note": posted.get(f"note-{pupil.public_id}", "") if posted else (absence.note if absence else ""),
        }
        for pupil, absence in rows
    ]
    context = {
        "school": school,
        "schools": schools,
        "day": day,
        "groups": groups,
        "group": group,
        "table": table,
        "parts": PARTS,
        "reasons": Reason.choices,
        "errors": errors,
        "section": "backoffice",
    }
    return render(request, "backoffice/attendance.html", context)
