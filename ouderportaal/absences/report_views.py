"""The parent's side of sick reports and leave requests."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.absences import services
from ouderportaal.absences.forms import BetterForm, LeaveRequestForm, SickReportForm
from ouderportaal.absences.models import AttendanceSettings, LeaveRequest, SickReport
from ouderportaal.school.access import parent_page, visible_pupils
from ouderportaal.school.models import Guardianship
from ouderportaal.school.pages import render_child_page


def reportable_children(user):
    """The guardian's children they may report for (the school's setting: may view, or authority too)."""
    children = list(visible_pupils(user).select_related("school").order_by("birth_date"))
    authority_only = set(
        AttendanceSettings.objects.filter(
            school__in={c.school_id for c in children}, reporters=AttendanceSettings.Reporters.AUTHORITY
        ).values_list("school_id", flat=True)
    )
    if authority_only:
        with_authority = set(
            Guardianship.objects.filter(guardian__user=user, has_authority=True).values_list("pupil_id", flat=True)
        )
        children = [c for c in children if c.school_id not in authority_only or c.pk in with_authority]
    return children


@require_http_methods(["GET", "HEAD", "POST"])
@parent_page
def report_sick(request):
    children = reportable_children(request.user)
    if request.POST.get("action") == "better":
        return _report_better(request, children)
    form = SickReportForm(request.POST or None, children=children)
    wanted = set(request.POST.getlist("pupils"))
    if not wanted <= set(form.children):
        raise Http404("Geen eigen kind")  # a child this guardian may not report for: as if it did not exist
    if children and form.is_valid():
        try:
            reports = services.report_sick(
                pupils=form.cleaned_data["pupils"],
                acting_user=request.user,
                starts_on=form.cleaned_data["starts_on"],
                part_of_day=form.cleaned_data["part_of_day"],
                remark=form.cleaned_data["remark"],
            )
        except services.RuleError as error:
            form.add_error(None, str(error))
        else:
            names = ", ".join(r.pupil.roepnaam for r in reports)
            if any(r.late for r in reports):
                messages.warning(
                    request,
                    _("Ziek gemeld: %(names)s. Let op: na de meldtijd van de school, dus te laat gemeld.")
                    % {"names": names},
                )
            else:
                messages.success(request, _("Ziek gemeld: %(names)s. Beterschap!") % {"names": names})
            return redirect("report_sick")
    open_reports = list(
        SickReport.objects.filter(pupil__in=children, ends_on__isnull=True)
        .select_related("pupil")
        .order_by("starts_on")
    )
    context = {
        "form": form,
        "open_reports": open_reports,
        "better_form": BetterForm(initial={"back_on": timezone.localdate() + timedelta(days=1)}),
    }
    context["section"] = "children"
    return render(request, "absences/report_sick.html", context)


def _report_better(request, children):
    report = SickReport.objects.filter(public_id=request.POST.get("report", ""), pupil__in=children).first()
    if report is None:
        raise Http404("Geen ziekmelding")
    form = BetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["back_on"]))
        return redirect("report_sick")
    try:
        services.report_better(report=report, acting_user=request.user, back_on=form.cleaned_data["back_on"])
    except services.RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is beter gemeld.") % {"name": report.pupil.roepnaam})
    return redirect("report_sick")


@require_http_methods(["GET", "HEAD", "POST"])
@parent_page
def request_leave(request, pupil):
    if not services.may_report(request.user, pupil):
        raise Http404("Geen recht om verlof te vragen")
    form = LeaveRequestForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            leave, assessment = services.request_leave(
                pupil=pupil,
                acting_user=request.user,
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                part_of_day=data["part_of_day"],
                explanation=data["explanation"],
                statement=data["statement"],
            )
        except services.RuleError as error:
            form.add_error(None, _("De school kan dit verlof niet geven. %(reasons)s") % {"reasons": error})
        else:
            done = {
                "pending": _("Uw aanvraag is verstuurd; de directeur beslist en u krijgt de brief per e-mail."),
                "forwarded": assessment.notes[0] if assessment.notes else "",
                "noted": assessment.notes[0] if assessment.notes else "",
            }[leave.status]
            messages.success(request, done)
            return redirect("pupil_absences", public_id=pupil.public_id)
    return render_child_page(request, pupil, "pupil_absences", "absences/leave_request.html", {"form": form})


@require_safe
@parent_page
def leave_letter(request, leave_id):
    leave = (
        LeaveRequest.objects.filter(public_id=leave_id, pupil__in=visible_pupils(request.user))
        .exclude(letter=None)
        .first()
    )
    if leave is None:
        raise Http404("Geen besluitbrief")
    response = HttpResponse(bytes(leave.letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="besluit-verlof-{leave.starts_on:%Y%m%d}.pdf"'
    return response
