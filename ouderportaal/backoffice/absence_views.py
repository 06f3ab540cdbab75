"""The back-office's absence pages: the morning list of sick reports, leave requests and the director's decision,
the DUO report list. Every query starts from the staff member's own schools; a teacher sees only their groups."""

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.absences import services, truancy
from ouderportaal.absences.models import Absence, LeaveRequest, SickReport
from ouderportaal.backoffice.access import OFFICE_ROLES, staff_page
from ouderportaal.backoffice.forms import LeaveDecisionForm
from ouderportaal.school.models import Enrolment, Group, SchoolYear, StaffRole
from ouderportaal.schoolcalendar.calendar import SchoolCalendar


def chosen_school(request):
    schools = list(request.staff_schools.order_by("name"))
    wanted = request.GET.get("school", "")
    return next((s for s in schools if str(s.pk) == wanted), schools[0]), schools


def chosen_day(request):
    try:
        day = date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        return timezone.localdate()
    return day if date(2000, 1, 1) <= day <= date(2100, 1, 1) else timezone.localdate()


def visible_groups(user, school, start_year):
    """The groups of one school year a staff member sees: all for the office and the director, a teacher only
    the groups they teach (matched on the e-mail address of their login)."""
    groups = Group.objects.filter(school=school, school_year__start_year=start_year)
    roles = set(StaffRole.objects.filter(user=user, school=school).values_list("role", flat=True))
    if roles & set(OFFICE_ROLES):
        return groups
    if not user.email:
        return groups.none()
    return groups.filter(teachers__email__iexact=user.email).distinct()


@require_safe
@staff_page
def morning_list(request):
    school, schools = chosen_school(request)
    day = chosen_day(request)
    start_year = SchoolYear.start_year_for(day)
    groups = list(visible_groups(request.user, school, start_year).order_by("year_levels", "name"))
    chosen_group = next((g for g in groups if str(g.pk) == request.GET.get("groep")), None)
    shown = [chosen_group] if chosen_group else groups
    enrolment = Enrolment.objects.filter(pupil=OuterRef("pupil"), school_year__start_year=start_year)
    in_groups = Enrolment.objects.filter(school_year__start_year=start_year, group__in=shown).values("pupil")
    reports = (
        SickReport.objects.filter(pupil__school=school, pupil__in=in_groups, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .annotate(group_name=Subquery(enrolment.values("group__name")[:1]))
        .select_related("pupil")
        .order_by("group_name", "pupil__surname", "pupil__roepnaam")
    )
    leaves = (
        Absence.objects.filter(pupil__school=school, pupil__in=in_groups, date=day, leave_request__isnull=False)
        .annotate(group_name=Subquery(enrolment.values("group__name")[:1]))
        .select_related("pupil", "leave_request")
        .order_by("group_name", "pupil__surname")
    )
    calendar = SchoolCalendar.covering(school, day)
    context = {
        "school": school,
        "schools": schools,
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "no_school": calendar.why_no_school(day),
        "groups": groups,
        "chosen_group": chosen_group,
        "reports": list(reports),
        "leaves": list(leaves),
        "refreshed_at": timezone.localtime(),
        "section": "backoffice",
    }
    return render(request, "backoffice/morning_list.html", context)


def _office_leave_requests(request):
    schools = request.staff_schools.filter(staff_roles__user=request.user, staff_roles__role__in=OFFICE_ROLES)
    if not schools.exists():
        raise Http404("Geen school waar u verlof inziet")
    return (
        LeaveRequest.objects.filter(pupil__school__in=schools)
        .select_related("pupil__school")
        .defer("statement", "letter")
    )


@require_safe
@staff_page
def leave_requests(request):
    requests = _office_leave_requests(request)
    pending = list(requests.filter(status=LeaveRequest.Status.PENDING).order_by("starts_on"))
    decided = list(requests.exclude(status=LeaveRequest.Status.PENDING).order_by("-requested_at")[:30])
    return render(
        request, "backoffice/leave_requests.html", {"pending": pending, "decided": decided, "section": "backoffice"}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def leave_request(request, leave_id):
    leave = get_object_or_404(_office_leave_requests(request).select_related("decided_by"), public_id=leave_id)
    may_decide = StaffRole.objects.filter(
        user=request.user, school=leave.pupil.school, role=StaffRole.Role.DIRECTOR
    ).exists()
    form = LeaveDecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise Http404("Alleen de directeur beslist")
        if leave.status != LeaveRequest.Status.PENDING:
            messages.error(request, _("Over deze aanvraag is al besloten."))
            return redirect("backoffice:leave_request", leave_id=leave.public_id)
        if form.is_valid():
            try:
                services.decide_leave(
                    leave=leave,
                    acting_user=request.user,
                    granted=form.cleaned_data["decision"] == "grant",
                    motivation=form.cleaned_data["motivation"],
                )
            except services.RuleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Besluit genomen: de ouders krijgen de brief per e-mail."))
                return redirect("backoffice:leave_requests")
    assessment = services.assess_leave(
        pupil=leave.pupil,
        kind=leave.kind,
        starts_on=leave.starts_on,
        ends_on=leave.ends_on,
        has_statement=bool(leave.statement_name),
        exclude=leave,
    )
    context = {"leave": leave, "form": form, "may_decide": may_decide, "assessment": assessment}
    return render(request, "backoffice/leave_request.html", context | {"section": "backoffice"})


@require_safe
@staff_page
def leave_file(request, leave_id, what):
    leave = get_object_or_404(_office_leave_requests(request).defer(None), public_id=leave_id)
    content = leave.statement if what == "verklaring" else leave.letter
    if what not in ("verklaring", "besluit") or content is None:
        raise Http404("Geen bestand")
    response = HttpResponse(bytes(content), content_type="application/pdf")
    # The statement is a parent's upload: downloaded, never shown inside our pages' origin.
    disposition = "attachment" if what == "verklaring" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{what}-{slugify(leave.pupil.roepnaam)}.pdf"'
    return response


CSV_COLUMNS = [
    "soort",
    "leerling",
    "geboortedatum",
    "bsn_of_onderwijsnummer",
    "van",
    "tot_en_met",
    "uren_ongeoorloofd",
    "schooldagen",
]


@require_safe
@staff_page
def truancy_list(request):
    school, schools = chosen_school(request)
    if not StaffRole.objects.filter(user=request.user, school=school, role__in=OFFICE_ROLES).exists():
        raise Http404("Alleen voor de administratie en de directeur")
    today = timezone.localdate()
    start_year = SchoolYear.start_year_for(today)
    first = SchoolYear(start_year=start_year).starts_on
    calendar = SchoolCalendar.covering(school, first, today)
    unexcused = truancy.findings(school=school, calendar=calendar, first=first, last=today)
    long = truancy.long_absences(school=school, calendar=calendar, first=first, last=today)
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="verzuim-{school.brin}-{today:%Y%m%d}.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
        writer = csv.writer(response, delimiter=";")
        writer.writerow(CSV_COLUMNS)
        for f in unexcused:
            writer.writerow(
                [
                    "ongeoorloofd",
                    f.pupil.full_name,
                    f.pupil.birth_date,
                    f.pupil.bsn or f.pupil.onderwijsnummer,
                    f.first_day,
                    f.last_day,
                    str(f.hours).replace(".", ","),
                    "",
                ]
            )
        for a in long:
            writer.writerow(
                [
                    "langdurig",
                    a.pupil.full_name,
                    a.pupil.birth_date,
                    a.pupil.bsn or a.pupil.onderwijsnummer,
                    a.first_day,
                    a.last_day,
                    "",
                    a.school_days,
                ]
            )
        return response
    context = {"school": school, "schools": schools, "unexcused": unexcused, "long": long, "first": first}
    return render(request, "backoffice/truancy.html", context | {"today": today, "section": "backoffice"})
