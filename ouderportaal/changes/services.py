"""The change-request workflow. Each service is atomic and writes its audit rows and queues its mail in the same
transaction; mail leaves after commit. Mails never carry the proposed values (nor medical content): those live in
the record and in the audit log only."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ouderportaal.changes import sections
from ouderportaal.changes.models import ChangeField, ChangeRequest, FamilyConfirmation, Section
from ouderportaal.core import emails
from ouderportaal.core.audit import log_action
from ouderportaal.school.models import Guardianship, MedicalInfo, SchoolYear

APPLY, REJECT, OVERWRITE = "apply", "reject", "overwrite"


class ChangeError(Exception):
    """A step that cannot be taken (already decided, a conflict without a choice, invalid value); text for the user."""


def has_authority(user, pupil):
    """Who may propose changes to a child's data or confirm them: a guardian with parental authority who may view."""
    return Guardianship.objects.filter(guardian__user=user, pupil=pupil, may_view=True, has_authority=True).exists()


def propose_change(*, acting_user, guardian, section, changes, school, pupil=None, household=None) -> ChangeRequest:
    """Store the changed fields ({key: (old, new)}) as a pending request and mail the school's administration."""
    if not changes:
        raise ChangeError(_("U hebt niets gewijzigd."))
    with transaction.atomic():
        change_request = ChangeRequest.objects.create(
            school=school,
            section=section,
            pupil=pupil,
            household=household,
            guardian=guardian,
            proposed_by=acting_user,
        )
        ChangeField.objects.bulk_create(
            ChangeField(change_request=change_request, key=key, old_value=old, new_value=new)
            for key, (old, new) in changes.items()
        )
        log_action(
            acting_user,
            "change_request.proposed",
            change_request,
            section=section,
            pupil_id=pupil.pk if pupil else None,
            household_id=household.pk if household else None,
            fields={key: {"old": old, "new": new} for key, (old, new) in changes.items()},
        )
        emails.change_request_new(
            to=school.admin_email,
            school=school,
            subject_name=change_request.subject_name,
            section=Section(change_request.section).label,
            review_url=settings.SITE_URL + reverse("backoffice:change_request", args=[change_request.public_id]),
        )
    return change_request


def withdraw_change(change_request, *, acting_user) -> None:
    with transaction.atomic():
        change_request = _lock_pending(
            change_request, _("Dit voorstel is al behandeld en kan niet meer worden ingetrokken.")
        )
        if change_request.proposed_by_id != acting_user.pk:
            raise ChangeError(_("Alleen wie het voorstel deed, kan het intrekken."))
        fields = list(change_request.fields.all())
        change_request.fields.update(status=ChangeField.Status.WITHDRAWN)
        _finish(change_request, ChangeRequest.Status.WITHDRAWN, acting_user, note="")
        log_action(
            acting_user,
            "change_request.withdrawn",
            change_request,
            fields={f.key: {"old": f.old_value, "new": f.new_value} for f in fields},
        )


def conflicts(change_request, fields, current=None):
    """The keys whose value in the record differs from the value when the change was proposed."""
    current = sections.current_values_for(change_request) if current is None else current
    return {f.key for f in fields if not sections.same(f.key, current.get(f.key), f.old_value)}


def decide_change(change_request, *, acting_user, decisions, note="") -> ChangeRequest:
    """Apply or reject each field (`decisions`: {field pk: "apply" | "reject" | "overwrite"}). A conflicting field
    is applied only with "overwrite". All or nothing: an invalid value or a missing choice changes nothing."""
    with transaction.atomic():
        change_request = _lock_pending(change_request)
        fields = list(change_request.fields.all())
        current = sections.current_values_for(change_request)
        conflicting = conflicts(change_request, fields, current)
        to_apply = {}
        for field in fields:
            choice = decisions.get(field.pk)
            if choice not in (APPLY, REJECT, OVERWRITE):
                raise ChangeError(_("Kies bij elk veld: verwerken of afwijzen."))
            if choice == APPLY and field.key in conflicting:
                raise ChangeError(
                    _("%(field)s is gewijzigd sinds het voorstel: kies overschrijven of afwijzen.")
                    % {"field": sections.label(field.key)}
                )
            if choice != REJECT:
                to_apply[field.key] = field.new_value
        try:
            sections.apply(change_request, to_apply)
        except ValidationError as error:
            raise ChangeError(" ".join(error.messages)) from None
        for field in fields:
            applied = field.key in to_apply
            field.status = ChangeField.Status.APPLIED if applied else ChangeField.Status.REJECTED
            log_action(
                acting_user,
                "change_request.field_applied" if applied else "change_request.field_rejected",
                change_request,
                key=field.key,
                old=current.get(field.key),
                new=field.new_value,
                old_when_proposed=field.old_value,
                conflict=field.key in conflicting,
            )
        ChangeField.objects.bulk_update(fields, ["status"])
        if len(to_apply) == len(fields):
            status = ChangeRequest.Status.APPLIED
        elif to_apply:
            status = ChangeRequest.Status.PARTIAL
        else:
            status = ChangeRequest.Status.REJECTED
        _finish(change_request, status, acting_user, note=note)
        log_action(acting_user, "change_request.decided", change_request, status=status, note=note)
        _mail_decision(change_request, applied=len(to_apply), rejected=len(fields) - len(to_apply))
    return change_request


def reject_change(change_request, *, acting_user, note) -> ChangeRequest:
    with transaction.atomic():
        change_request = _lock_pending(change_request)
        fields = list(change_request.fields.all())
        change_request.fields.update(status=ChangeField.Status.REJECTED)
        _finish(change_request, ChangeRequest.Status.REJECTED, acting_user, note=note)
        log_action(
            acting_user,
            "change_request.rejected",
            change_request,
            note=note,
            fields={f.key: {"old": f.old_value, "new": f.new_value} for f in fields},
        )
        _mail_decision(change_request, applied=0, rejected=len(fields))
    return change_request


# --- "Klopt nog": the parent confirms the data are still right ---


def confirm_medical(*, acting_user, pupil) -> None:
    if not has_authority(acting_user, pupil):
        raise ChangeError(_("Alleen een ouder met gezag kan de gegevens van dit kind bevestigen."))
    with transaction.atomic():
        info, _created = MedicalInfo.objects.get_or_create(pupil=pupil)
        info.last_confirmed_on = timezone.localdate()
        info.save(update_fields=["last_confirmed_on"])
        log_action(acting_user, "pupil.medical.confirmed", pupil)


def confirm_family(*, acting_user, pupils) -> list:
    """Confirm the Gezin data for each of these children the guardian has authority over; returns those."""
    confirmed = [p for p in pupils if has_authority(acting_user, p)]
    with transaction.atomic():
        for pupil in confirmed:
            FamilyConfirmation.objects.update_or_create(
                pupil=pupil, defaults={"confirmed_on": timezone.localdate(), "confirmed_by": acting_user}
            )
            log_action(acting_user, "pupil.family.confirmed", pupil)
    return confirmed


def unconfirmed(pupils, *, school_year):
    """Per pupil (annotated with medical_confirmed_on, family_confirmed_on): not both confirmed this school year."""
    start = school_year.starts_on
    return [
        p
        for p in pupils
        if not (p.medical_confirmed_on and p.medical_confirmed_on >= start)
        or not (p.family_confirmed_on and p.family_confirmed_on >= start)
    ]


def send_confirmation_reminders(*, acting_user, group, pupils) -> int:
    """Mail each guardian (with authority and an account) of these pupils once, naming their children; returns the
    number of mails."""
    ships = (
        Guardianship.objects.filter(pupil__in=pupils, may_view=True, has_authority=True, guardian__user__isnull=False)
        .select_related("guardian__user", "pupil")
        .order_by("guardian_id", "pupil__roepnaam")
    )
    children = {}
    for ship in ships:
        children.setdefault(ship.guardian.user, []).append(ship.pupil.roepnaam)
    with transaction.atomic():
        for user, names in children.items():
            emails.confirmation_reminder(
                to=user.email,
                language=user.language,
                school=group.school,
                children=names,
                portal_url=settings.SITE_URL + reverse("home"),
            )
        log_action(acting_user, "change.confirmation_reminders_sent", group, mails=len(children), pupils=len(pupils))
    return len(children)


def current_school_year():
    return SchoolYear(start_year=SchoolYear.start_year_for(timezone.localdate()))


# --- helpers ---


def _lock_pending(change_request, message=None):
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("school", "pupil__school", "household", "guardian", "proposed_by")
        .get(pk=change_request.pk)
    )
    if not locked.is_pending:
        raise ChangeError(message or _("Dit voorstel is al behandeld."))
    return locked


def _finish(change_request, status, acting_user, *, note):
    change_request.status = status
    change_request.decided_by = acting_user
    change_request.decided_at = timezone.now()
    change_request.note = note
    change_request.save(update_fields=["status", "decided_by", "decided_at", "note"])


def page_url_name(section):
    return {Section.PERSONAL: "pupil_personalia", Section.MEDICAL: "pupil_medical"}.get(section, "family")


def page_url(change_request):
    name = page_url_name(change_request.section)
    args = [change_request.pupil.public_id] if name != "family" else []
    return reverse(name, args=args)


def _mail_decision(change_request, *, applied, rejected):
    user = change_request.proposed_by
    if not user.email:
        return
    emails.change_request_decided(
        to=user.email,
        language=user.language,
        school=change_request.school,
        subject_name=change_request.pupil.roepnaam if change_request.pupil_id else "",
        section=Section(change_request.section).label,
        status=ChangeRequest.Status(change_request.status).label,
        applied=applied,
        rejected=rejected,
        note=change_request.note,
        page_url=settings.SITE_URL + page_url(change_request),
    )
