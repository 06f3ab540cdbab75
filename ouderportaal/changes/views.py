"""The parent's side of change requests: "Wijziging doorgeven" per section, withdrawing a pending proposal, and
"Klopt nog". Pupils are reached only through school.access; a guardian changes only their own contact details and
household, and only a guardian with parental authority proposes changes to a child's data."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ouderportaal.changes import forms, sections, services
from ouderportaal.changes.display import proposal_rows
from ouderportaal.changes.models import ChangeRequest, Section
from ouderportaal.core.audit import log_action
from ouderportaal.school.access import parent_page, visible_pupils
from ouderportaal.school.models import ContactDetail, EmergencyContact, MedicalInfo
from ouderportaal.school.privacy import pupil_address_for, viewer_guardian

FORM_METHODS = ["GET", "HEAD", "POST"]


def _no_authority_reason(request, pupil):
    if services.has_authority(request.user, pupil):
        return ""
    return _(
        "U hebt geen ouderlijk gezag over %(name)s. Wijzigingen in de gegevens van uw kind kan alleen een ouder met "
        "gezag doorgeven. Neem contact op met de administratie van de school als dit niet klopt."
    ) % {"name": pupil.roepnaam}


def _propose(request, *, section, form, current, guardian, school, back_url, title, pupil=None, household=None,
             refusal=""):  # fmt: skip
    """The common flow: refuse with the reason shown; on a valid POST store only what changed, then go back."""
    if refusal:
        return render(
            request,
            "changes/propose.html",
            {"title": title, "refusal": refusal, "back_url": back_url, "section_nav": _nav(section)},
            status=403 if request.method == "POST" else 200,
        )
    if request.method == "POST" and form.is_valid():
        changes = sections.diff(current, form.proposed())
        if not changes:
            form_errors = getattr(form, "non_form_errors", None)
            message = _("U hebt niets gewijzigd. Pas een of meer velden aan, of ga terug.")
            if form_errors is not None:
                form._non_form_errors.append(message)
            else:
                form.add_error(None, message)
        else:
            services.propose_change(
                acting_user=request.user,
                guardian=guardian,
                section=section,
                changes=changes,
                school=school,
                pupil=pupil,
                household=household,
            )
            messages.success(
                request,
                _("Uw wijziging is doorgegeven. De administratie verwerkt hem; tot dan blijft alles zoals het was."),
            )
            return redirect(back_url)
    context = {"title": title, "form": form, "back_url": back_url, "pupil": pupil, "section_nav": _nav(section)}
    return render(request, "changes/propose.html", context)


def _nav(section):
    return "children" if section in (Section.PERSONAL, Section.MEDICAL) else "family"


def _guardian_or_404(request):
    guardian = viewer_guardian(request.user)
    if guardian is None:
        raise Http404("Geen ouder/verzorger")
    return guardian


@parent_page
@require_http_methods(FORM_METHODS)
def propose_personal(request, pupil):
    guardian = _guardian_or_404(request)
    current = sections.current_values(Section.PERSONAL, pupil=pupil)
    initial = {key: value for key, value in current.items() if key != "bsn"}
    address_visible = pupil_address_for(guardian, pupil) is not None
    form = forms.PersonalForm(request.POST or None, initial=initial, address_visible=address_visible)
    return _propose(
        request,
        section=Section.PERSONAL,
        form=form,
        current=current,
        guardian=guardian,
        school=pupil.school,
        pupil=pupil,
        back_url=reverse("pupil_personalia", args=[pupil.public_id]),
        title=_("Personalia van %(name)s wijzigen") % {"name": pupil.roepnaam},
        refusal=_no_authority_reason(request, pupil),
    )


@parent_page
@require_http_methods(FORM_METHODS)
def propose_medical(request, pupil):
    guardian = _guardian_or_404(request)
    refusal = _no_authority_reason(request, pupil)
    current = {} if refusal else sections.current_values(Section.MEDICAL, pupil=pupil)
    if current:
        log_action(request.user, "pupil.medical.read", pupil)
    form = forms.MedicalForm(request.POST or None, initial=current)
    return _propose(
        request,
        section=Section.MEDICAL,
        form=form,
        current=current,
        guardian=guardian,
        school=pupil.school,
        pupil=pupil,
        back_url=reverse("pupil_medical", args=[pupil.public_id]),
        title=_("Medische gegevens van %(name)s wijzigen") % {"name": pupil.roepnaam},
        refusal=refusal,
    )


@parent_page
@require_http_methods(FORM_METHODS)
def propose_gp(request, pupil):
    guardian = _guardian_or_404(request)
    current = sections.current_values(Section.GP, pupil=pupil)
    form = forms.GPForm(request.POST or None, initial=current)
    return _propose(
        request,
        section=Section.GP,
        form=form,
        current=current,
        guardian=guardian,
        school=pupil.school,
        pupil=pupil,
        back_url=reverse("family") + "#gp",
        title=_("Huisarts van %(name)s wijzigen") % {"name": pupil.roepnaam},
        refusal=_no_authority_reason(request, pupil),
    )


@parent_page
@require_http_methods(FORM_METHODS)
def propose_emergency(request, pupil):
    guardian = _guardian_or_404(request)
    contacts = list(EmergencyContact.objects.filter(pupil=pupil))
    current = {f"emergency:{c.pk}": sections.emergency_dict(c) for c in contacts}
    initial = [{"item": str(c.pk), **sections.emergency_dict(c)} for c in contacts]
    formset = forms.emergency_formset(request.POST or None, initial=initial, allowed=[c.pk for c in contacts])
    return _propose(
        request,
        section=Section.EMERGENCY,
        form=formset,
        current=current,
        guardian=guardian,
        school=pupil.school,
        pupil=pupil,
        back_url=reverse("family") + "#emergency",
        title=_("Noodnummers van %(name)s wijzigen") % {"name": pupil.roepnaam},
        refusal=_no_authority_reason(request, pupil),
    )


def _family_school(request, guardian, household=None):
    """The school whose administration handles a change to family data: the school of the guardian's child (one
    living in this household first)."""
    pupils = list(visible_pupils(request.user).select_related("school").order_by("household_id", "birth_date"))
    own = [p for p in pupils if household is not None and p.household_id == household.pk]
    pupil = (own or pupils or [None])[0]
    return pupil.school if pupil else None


@parent_page
@require_http_methods(FORM_METHODS)
def propose_household(request):
    guardian = viewer_guardian(request.user)
    household = guardian.household if guardian else None
    school = _family_school(request, guardian, household) if guardian else None
    refusal = "" if household and school else _("Er is geen gezinsadres van u bekend dat u hier kunt wijzigen.")
    current = sections.current_values(Section.HOUSEHOLD, household=household) if household else {}
    form = forms.HouseholdForm(request.POST or None, initial=current)
    return _propose(
        request,
        section=Section.HOUSEHOLD,
        form=form,
        current=current,
        guardian=guardian,
        school=school,
        household=household,
        back_url=reverse("family"),
        title=_("Adres en telefoon van uw gezin wijzigen"),
        refusal=refusal,
    )


@parent_page
@require_http_methods(FORM_METHODS)
def propose_contacts(request):
    guardian = viewer_guardian(request.user)
    school = _family_school(request, guardian) if guardian else None
    refusal = "" if guardian and school else _("Er zijn geen contactgegevens van u bekend die u hier kunt wijzigen.")
    contacts = list(ContactDetail.objects.filter(guardian=guardian)) if guardian else []
    current = {f"contact:{c.pk}": sections.contact_dict(c) for c in contacts}
    initial = [{"item": str(c.pk), **sections.contact_dict(c)} for c in contacts]
    formset = forms.contact_formset(request.POST or None, initial=initial, allowed=[c.pk for c in contacts])
    return _propose(
        request,
        section=Section.CONTACTS,
        form=formset,
        current=current,
        guardian=guardian,
        school=school,
        back_url=reverse("family"),
        title=_("Uw telefoonnummers en e-mailadressen wijzigen"),
        refusal=refusal,
    )


@parent_page
@require_http_methods(FORM_METHODS)
def withdraw(request, change_id):
    """A pending proposal of this user's own, about a child they may still view (or their own family data)."""
    change_request = get_object_or_404(
        ChangeRequest.objects.filter(proposed_by=request.user)
        .filter(Q(pupil__isnull=True) | Q(pupil__in=visible_pupils(request.user)))
        .select_related("pupil", "proposed_by", "decided_by"),
        public_id=change_id,
    )
    back_url = services.page_url(change_request)
    if request.method == "POST":
        try:
            services.withdraw_change(change_request, acting_user=request.user)
            messages.success(request, _("Uw voorstel is ingetrokken."))
        except services.ChangeError as error:
            messages.error(request, str(error))
        return redirect(back_url)
    viewer = viewer_guardian(request.user)
    address_visible = change_request.pupil is None or pupil_address_for(viewer, change_request.pupil) is not None
    proposal = proposal_rows(change_request, address_visible=address_visible)
    if change_request.section == Section.MEDICAL:
        log_action(request.user, "pupil.medical.read", change_request.pupil)
    return render(
        request,
        "changes/withdraw.html",
        {"proposal": proposal, "back_url": back_url, "section": _nav(change_request.section)},
    )


@parent_page
@require_http_methods(FORM_METHODS)
def confirm_medical(request, pupil):
    back_url = reverse("pupil_medical", args=[pupil.public_id])
    refusal = _no_authority_reason(request, pupil)
    if request.method == "POST" and not refusal:
        services.confirm_medical(acting_user=request.user, pupil=pupil)
        messages.success(request, _("Dank u wel: de medische gegevens zijn bevestigd."))
        return redirect(back_url)
    info = MedicalInfo.objects.filter(pupil=pupil).first()
    context = {"pupil": pupil, "info": info, "refusal": refusal, "back_url": back_url, "section": "children"}
    return render(request, "changes/confirm_medical.html", context, status=403 if refusal and request.POST else 200)


@parent_page
@require_http_methods(FORM_METHODS)
def confirm_family(request):
    pupils = list(visible_pupils(request.user))
    if request.method == "POST" and pupils:
        confirmed = services.confirm_family(acting_user=request.user, pupils=pupils)
        if confirmed:
            names = ", ".join(p.roepnaam for p in confirmed)
            messages.success(
                request, _("Dank u wel: de gezinsgegevens van %(names)s zijn bevestigd.") % {"names": names}
            )
        else:
            messages.error(request, _("Alleen een ouder met gezag kan de gegevens bevestigen."))
        return redirect("family")
    return render(request, "changes/confirm_family.html", {"pupils": pupils, "section": "family"})
