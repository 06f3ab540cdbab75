"""The pupil list, the pupil record (with the office's actions on its guardians' logins) and its medical page.

Every query starts from what the staff member may see: `access.visible_pupils` (the office sees its schools, a
teacher the pupils of their own groups). Another school's pupil, or another group's for a teacher, is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.absences.models import Absence
from ouderportaal.accounts.lockout import locked_out_user_ids
from ouderportaal.backoffice import search
from ouderportaal.backoffice.access import staff_page, teacher_groups, visible_pupils
from ouderportaal.backoffice.forms import PupilSearchForm
from ouderportaal.core.audit import log_action
from ouderportaal.core.models import AuditLogEntry
from ouderportaal.onboarding import guardian_accounts as accounts
from ouderportaal.results.models import TestResult
from ouderportaal.school.models import (
    ContactDetail,
    Enrolment,
    Group,
    Guardianship,
    MedicalInfo,
    SchoolYear,
    StaffRole,
)
from ouderportaal.twofactor.policy import users_with_second_step
from ouderportaal.twofactor.reset import reset_second_step

PAGE_SIZE = 50
HISTORY_SIZE = 50
OFFICE_ROLES = {StaffRole.Role.ADMINISTRATION, StaffRole.Role.DIRECTOR}


def _roles(request):
    """{school: set of roles} for the staff member, in one query."""
    roles = {}
    for role in StaffRole.objects.filter(user=request.user).select_related("school").order_by("school__name"):
        roles.setdefault(role.school, set()).add(role.role)
    return roles


def _pick(options, value, key=lambda option: str(option.pk)):
    return next((option for option in options if key(option) == value), None)


def _count(**filters):
    """The number of may-view guardianships of the row's pupil matching `filters`, as a subquery."""
    rows = (
        Guardianship.objects.filter(pupil=OuterRef("pupil_id"), may_view=True, **filters)
        .order_by()
        .values("pupil")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@require_safe
@staff_page
def pupils(request):
    roles = _roles(request)
    schools = list(roles)
    school = _pick(schools, request.GET.get("school")) or schools[0]
    office = bool(roles[school] & OFFICE_ROLES)
    years = list(SchoolYear.objects.filter(group__school=school).distinct())
    current = SchoolYear.start_year_for(timezone.localdate())
    year = _pick(years, request.GET.get("jaar"), key=lambda y: str(y.start_year)) or next(
        (y for y in years if y.start_year <= current), years[-1] if years else None
    )
    groups = Group.objects.filter(school=school, school_year=year).order_by("year_levels", "name")
    if not office:
        groups = groups.filter(pk__in=teacher_groups(request.user).values("pk"))
    groups = list(groups)
    group = _pick(groups, request.GET.get("groep"))
    form = PupilSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""

    rows = Enrolment.objects.filter(school_year=year, group__in=[group] if group else groups)
    if text:
        rows = rows.annotate(search_names=search.name_text("pupil__")).filter(search.pupil_filter(text, "pupil__"))
    rows = (
        rows.select_related("pupil", "group")
        .annotate(guardian_count=_count(), login_count=_count(guardian__user__isnull=False))
        .order_by("pupil__surname", "pupil__roepnaam", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "form": form,
        "schools": schools,
        "school": school,
        "years": years,
        "year": year,
        "groups": groups,
        "group": group,
        "text": text,
        "page": page,
        "office": office,
    }
    return render(request, "backoffice/pupils.html", context)


def _pupil(request, public_id):
    pupil = get_object_or_404(
        visible_pupils(request.user).select_related("school", "household", "general_practitioner"),
        public_id=public_id,
    )
    roles = set(StaffRole.objects.filter(user=request.user, school=pupil.school_id).values_list("role", flat=True))
    request.is_director = StaffRole.Role.DIRECTOR in roles  # may reset a guardian's second step
    return pupil, bool(roles & set(OFFICE_ROLES))


def _act(request, pupil, guardian):
    action = request.POST.get("action")
    school = pupil.school
    if action == "invite":
        user = accounts.invite_guardian(guardian, acting_user=request.user, school=school)
        return _("Uitnodiging verstuurd naar %(name)s; gebruikersnaam %(username)s.") % {
            "name": guardian.full_name,
            "username": user.username,
        }
    if action == "resend":
        accounts.resend_invitation(guardian, acting_user=request.user, school=school)
        return _("De uitnodiging is opnieuw verstuurd naar %(name)s.") % {"name": guardian.full_name}
    if action == "reset":
        accounts.send_password_reset(guardian, acting_user=request.user, school=school)
        return _("%(name)s krijgt een e-mail met een link om een nieuw wachtwoord te kiezen.") % {
            "name": guardian.full_name
        }
    if action == "unlock":
        accounts.unlock_login(guardian, acting_user=request.user, school=school)
        return _("Het account van %(name)s is ontgrendeld.") % {"name": guardian.full_name}
    if action in ("deactivate", "reactivate"):
        active = action == "reactivate"
        accounts.set_login_active(guardian, active=active, acting_user=request.user, school=school)
        if active:
            return _("Het account van %(name)s is weer actief.") % {"name": guardian.full_name}
        return _("Het account van %(name)s is uitgeschakeld.") % {"name": guardian.full_name}
    if action == "reset_twofactor" and request.is_director and guardian.user is not None:
        if not reset_second_step(guardian.user, acting_user=request.user, request=request, school=school, via="beheer"):
            raise accounts.AccountActionError(_("Dit account heeft geen tweestapsverificatie."))
        return _("De tweestapsverificatie van %(name)s is uitgezet; %(name)s krijgt daarover een e-mail.") % {
            "name": guardian.full_name
        }
    raise accounts.AccountActionError(_("Onbekende actie."))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def pupil(request, public_id):
    pupil, office = _pupil(request, public_id)
    if request.method == "POST":
        if not office:
            raise PermissionDenied  # teachers read only
        guardian_id = request.POST.get("guardian", "")
        guardian = get_object_or_404(pupil.guardians.all(), pk=int(guardian_id) if guardian_id.isdigit() else 0)
        try:
            messages.success(request, _act(request, pupil, guardian))
        except accounts.AccountActionError as error:
            messages.error(request, str(error))
        return redirect("backoffice:pupil", public_id=pupil.public_id)

    guardianships = list(
        pupil.guardianships.select_related("guardian__user", "guardian__household")
        .prefetch_related(Prefetch("guardian__contacts", queryset=ContactDetail.objects.order_by("kind", "pk")))
        .order_by("-is_main_caretaker", "guardian__surname", "guardian__first_name")
    )
    users = [g.guardian.user for g in guardianships if g.guardian.user is not None]
    locked = locked_out_user_ids(users) if office else set()
    second_step = users_with_second_step(users) if request.is_director else set()
    guardians = [
        {
            "guardianship": g,
            "guardian": g.guardian,
            "state": accounts.account_state(g.guardian.user),
            "locked": g.guardian.user_id in locked,
            "second_step": g.guardian.user_id in second_step,
            "email": accounts.invitation_address(g.guardian),
        }
        for g in guardianships
    ]
    year = SchoolYear.objects.current()
    absences = Absence.objects.filter(pupil=pupil).aggregate(
        year_excused=Count("pk", filter=Q(excused=True, date__gte=year.starts_on) if year else Q(pk=None)),
        year_unexcused=Count("pk", filter=Q(excused=False, date__gte=year.starts_on) if year else Q(pk=None)),
        total=Count("pk"),
    )
    results = TestResult.objects.filter(pupil=pupil).select_related("assessment", "school_year")
    context = {
        "pupil": pupil,
        "office": office,
        "enrolments": pupil.enrolments.select_related("group", "school_year").order_by("-school_year__start_year"),
        "composite_groups": pupil.composite_groups.select_related("school_year").order_by(
            "-school_year__start_year", "name"
        ),
        "guardians": guardians,
        "emergency_contacts": pupil.emergency_contacts.all(),
        "absences": absences,
        "year": year,
        "results": results.order_by("-taken_on", "assessment__name")[:10],
        "history": [_label(entry) for entry in _history(pupil, guardianships)[:HISTORY_SIZE]],
    }
    return render(request, "backoffice/pupil.html", context)


def _history(pupil, guardianships):
    """The record's history from the audit log: the pupil itself (medical reads included), its guardians' logins
    and the account requests approved for it."""
    guardian_ids = [str(g.guardian_id) for g in guardianships]
    user_ids = [str(g.guardian.user_id) for g in guardianships if g.guardian.user_id]
    return (
        AuditLogEntry.objects.filter(
            Q(object_type="school.pupil", object_id=str(pupil.pk))
            | Q(object_type="school.guardian", object_id__in=guardian_ids)
            | Q(object_type="accounts.user", object_id__in=user_ids)
            | Q(action="account_request.approved", data__pupil_id=pupil.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


# What the history calls each audited action; an action not named here shows its own key.
ACTION_LABELS = {
    "pupil.medical.read": gettext_lazy("medische gegevens ingezien"),
    "guardian.invited": gettext_lazy("uitgenodigd voor het ouderportaal"),
    "guardian.invitation_resent": gettext_lazy("uitnodiging opnieuw verstuurd"),
    "guardian.password_reset_sent": gettext_lazy("wachtwoordherstel verstuurd"),
    "guardian.login_unlocked": gettext_lazy("account ontgrendeld"),
    "guardian.login_deactivated": gettext_lazy("account uitgeschakeld"),
    "guardian.login_reactivated": gettext_lazy("account weer actief"),
    "account.password_set": gettext_lazy("wachtwoord gekozen"),
    "account.password_reset_requested": gettext_lazy("wachtwoordherstel aangevraagd"),
    "account_request.approved": gettext_lazy("accountaanvraag goedgekeurd"),
}


def _label(entry):
    entry.label = ACTION_LABELS.get(entry.action, entry.action)
    return entry


@require_safe
@staff_page
def pupil_medical(request, public_id):
    pupil, _office = _pupil(request, public_id)
    info = MedicalInfo.objects.filter(pupil=pupil).first()
    log_action(request.user, "pupil.medical.read", pupil, via="beheer")
    return render(request, "backoffice/pupil_medical.html", {"pupil": pupil, "info": info})
