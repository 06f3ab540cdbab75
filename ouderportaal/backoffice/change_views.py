"""The administration's side of change requests (/beheer/wijzigingen/): the queue, the per-field decision, and
"Klopt nog" per group with reminders. Only the administration and director of a school decide (office_schools)."""

from django.contrib import messages
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.backoffice.forms import ChangeDecisionForm, ChangeRejectForm
from ouderportaal.changes import sections, services
from ouderportaal.changes.models import ChangeRequest, Section
from ouderportaal.core.audit import log_action
from ouderportaal.school.models import Group, Pupil


def _schools(request):
    schools = office_schools(request.user)
    if not schools.exists():
        raise Http404("Geen school waar u wijzigingen verwerkt")
    return schools


@staff_page
@require_safe
def change_requests(request):
    schools = list(_schools(request).order_by("name"))
    requests = ChangeRequest.objects.filter(school__in=schools).select_related(
        "school", "pupil", "guardian", "proposed_by"
    )
    section = request.GET.get("onderdeel", "")
    if section in Section.values:
        requests = requests.filter(section=section)
    school = next((s for s in schools if str(s.pk) == request.GET.get("school", "")), None)
    if school is not None:
        requests = requests.filter(school=school)
    pending = requests.pending().annotate(field_count=Count("fields")).order_by("created_at", "pk")
    decided = requests.decided().select_related("decided_by").order_by("-decided_at")[:20]
    context = {
        "pending": pending,
        "decided": decided,
        "schools": schools,
        "chosen_school": school,
        "sections": Section.choices,
        "chosen_section": section,
        "section": "backoffice",
    }
    return render(request, "backoffice/change_requests.html", context)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def change_request(request, change_id):
    change_request = get_object_or_404(
        ChangeRequest.objects.filter(school__in=_schools(request)).select_related(
            "school", "pupil__school", "household", "guardian", "proposed_by", "decided_by"
        ),
        public_id=change_id,
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    if decision and not change_request.is_pending:
        messages.error(request, _("Dit voorstel is al behandeld."))
        return redirect("backoffice:change_request", change_id=change_request.public_id)
    fields = list(change_request.fields.all())
    current = sections.current_values_for(change_request) if change_request.is_pending else {}
    conflicting = services.conflicts(change_request, fields, current) if change_request.is_pending else set()
    if change_request.section == Section.MEDICAL:
        log_action(request.user, "pupil.medical.read", change_request.pupil)
    decide_form = ChangeDecisionForm(
        request.POST if decision == "decide" else None, fields=fields, conflicting=conflicting
    )
    # A prefix: both forms have a note, and two fields with one id would share a label.
    reject_form = ChangeRejectForm(request.POST if decision == "reject" else None, prefix="reject")
    form = decide_form if decision == "decide" else reject_form if decision == "reject" else None
    if form is not None and form.is_valid():
        try:
            if form is decide_form:
                done = services.decide_change(
                    change_request,
                    acting_user=request.user,
                    decisions=form.decisions(),
                    note=form.cleaned_data["note"],
                )
                messages.success(
                    request,
                    _("Besluit opgeslagen (%(status)s); de ouder krijgt een e-mail.")
                    % {"status": done.get_status_display()},
                )
            else:
                services.reject_change(change_request, acting_user=request.user, note=form.cleaned_data["note"])
                messages.success(request, _("Afgewezen; de ouder krijgt een e-mail met uw toelichting."))
            return redirect("backoffice:change_requests")
        except services.ChangeError as error:
            form.add_error(None, str(error))
    rows = [
        {
            "field": field,
            "label": sections.label(field.key),
            "current": sections.display(field.key, current.get(field.key), mask_bsn=False),
            "old": sections.display(field.key, field.old_value, mask_bsn=False),
            "new": sections.display(field.key, field.new_value, mask_bsn=False),
            "conflict": field.key in conflicting,
            "choice": decide_form[f"field_{field.pk}"] if change_request.is_pending else None,
        }
        for field in fields
    ]
    context = {
        "change_request": change_request,
        "rows": rows,
        "decide_form": decide_form,
        "reject_form": reject_form,
        "has_conflict": bool(conflicting),
        "section": "backoffice",
    }
    return render(request, "backoffice/change_request.html", context)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def confirmations(request):
    """Per group of this school year: whose medical and family data were not confirmed ("Klopt nog") this year."""
    school_year = services.current_school_year()
    groups = list(
        Group.objects.filter(school__in=_schools(request), school_year__start_year=school_year.start_year)
        .select_related("school")
        .order_by("school__name", "year_levels", "name")
    )
    group = next((g for g in groups if str(g.pk) == (request.POST or request.GET).get("groep", "")), None)
    pupils = []
    if group is not None:
        pupils = list(
            Pupil.objects.filter(enrolments__group=group)
            .annotate(
                medical_confirmed_on=F("medical_info__last_confirmed_on"),
                family_confirmed_on=F("family_confirmation__confirmed_on"),
            )
            .order_by("roepnaam", "surname")
        )
    open_pupils = services.unconfirmed(pupils, school_year=school_year)
    if request.method == "POST" and group is not None:
        if not open_pupils:
            messages.info(request, _("Alle gegevens in deze groep zijn dit schooljaar bevestigd."))
        else:
            sent = services.send_confirmation_reminders(acting_user=request.user, group=group, pupils=open_pupils)
            messages.success(request, _("Herinnering verstuurd naar %(count)s ouder(s).") % {"count": sent})
        return redirect(f"{request.path}?groep={group.pk}")
    start = school_year.starts_on
    for pupil in pupils:
        pupil.medical_ok = bool(pupil.medical_confirmed_on and pupil.medical_confirmed_on >= start)
        pupil.family_ok = bool(pupil.family_confirmed_on and pupil.family_confirmed_on >= start)
    context = {
        "groups": groups,
        "group": group,
        "pupils": pupils,
        "open_count": len(open_pupils),
        "school_year": school_year,
        "section": "backoffice",
    }
    return render(request, "backoffice/confirmations.html", context)
