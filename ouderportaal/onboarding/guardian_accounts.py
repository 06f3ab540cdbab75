"""What the school office does for a guardian's login: invite (one guardian, or every family of a group or the school
at once), resend the invitation, start a password reset, unlock after failed logins, deactivate and reactivate.

Each service is atomic, locks the guardian's row first (two clicks at once: the second waits, then finds the work
done), writes its audit row and queues its mail in the same transaction. No password is ever shown or mailed: an
invitation carries a one-time link to choose one (onboarding.tokens).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ouderportaal.accounts.lockout import unlock
from ouderportaal.core import emails
from ouderportaal.core.audit import log_action
from ouderportaal.onboarding import tokens
from ouderportaal.onboarding.services import new_login
from ouderportaal.school.models import ContactDetail, Guardian, Guardianship, Pupil, SchoolYear

# A second "resend" or "password reset" for the same address within this pause sends nothing: a double click, or
# two staff members helping the same parent, must not fill the parent's mailbox.
RESEND_PAUSE = timedelta(minutes=5)


class AccountActionError(Exception):
    """An action that cannot be done for this guardian now; the text is for the office."""


def invitation_address(guardian):
    """The guardian's first recorded email address (emergency addresses first), or ''."""
    for contact in guardian.contacts.all():
        if contact.kind == ContactDetail.Kind.EMAIL and contact.value.strip():
            return contact.value.strip()
    return ""


def account_state(user):
    """'none', 'invited' (login made, no password chosen yet), 'active' or 'inactive'."""
    if user is None:
        return "none"
    if not user.is_active:
        return "inactive"
    return "active" if user.has_usable_password() else "invited"


def invite_guardian(guardian, *, acting_user, school):
    """Make the guardian's login and mail the username and a link to choose a password. Returns the user."""
    with transaction.atomic():
        guardian = _lock(guardian)
        if guardian.user_id is not None:
            raise AccountActionError(_("%(name)s heeft al een account.") % {"name": guardian.full_name})
        if not guardian.guardianships.filter(may_view=True, pupil__school=school).exists():
            raise AccountActionError(
                _("%(name)s mag geen kind van deze school inzien; een account heeft dan geen zin.")
                % {"name": guardian.full_name}
            )
        email = invitation_address(guardian)
        if not email:
            raise AccountActionError(
                _("Van %(name)s is geen e-mailadres bekend: neem op een andere manier contact op.")
                % {"name": guardian.full_name}
            )
        return _invite(guardian, email=email, acting_user=acting_user, school=school, bulk=False)


def resend_invitation(guardian, *, acting_user, school):
    """A new link for a guardian who was invited but never chose a password."""
    with transaction.atomic():
        guardian = _lock(guardian)
        user = guardian.user
        if user is None or account_state(user) != "invited":
            raise AccountActionError(_("Er staat geen uitnodiging open voor %(name)s.") % {"name": guardian.full_name})
        _refuse_if_just_sent(user, "guardian-invitation")
        log_action(acting_user, "guardian.invitation_resent", guardian, school_id=school.pk, user_id=user.pk)
        _invitation_mail(user, school)


def send_password_reset(guardian, *, acting_user, school):
    """Mail the guardian's login address a link to choose a new password (the old one keeps working until then)."""
    with transaction.atomic():
        guardian = _lock(guardian)
        user = guardian.user
        if user is None or not user.is_active or not user.email:
            raise AccountActionError(_("%(name)s heeft geen actief account met een e-mailadres.") % {"name": guardian})
        _refuse_if_just_sent(user, "password-reset")
        log_action(acting_user, "guardian.password_reset_sent", guardian, school_id=school.pk, user_id=user.pk)
        emails.password_reset(
            to=user.email, language=user.language, username=user.username, reset_url=tokens.set_password_url(user)
        )


def unlock_login(guardian, *, acting_user, school):
    """Lift a lockout after repeated failed logins (django-axes)."""
    with transaction.atomic():
        guardian = _lock(guardian)
        if guardian.user is None:
            raise AccountActionError(_("%(name)s heeft geen account.") % {"name": guardian.full_name})
        unlock(guardian.user)
        log_action(acting_user, "guardian.login_unlocked", guardian, school_id=school.pk, user_id=guardian.user_id)


def set_login_active(guardian, *, active, acting_user, school):
    """Deactivate (the guardian is logged out at their next request and cannot log in) or reactivate a login."""
    with transaction.atomic():
        guardian = _lock(guardian)
        user = guardian.user
        if user is None:
            raise AccountActionError(_("%(name)s heeft geen account.") % {"name": guardian.full_name})
        if not active and user.pk == acting_user.pk:
            raise AccountActionError(_("U kunt uw eigen account niet uitschakelen."))
        if not active and user.staff_roles.exists():
            raise AccountActionError(_("Dit is ook het account van een medewerker; dat schakelt u hier niet uit."))
        if user.is_active == active:
            return
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = "guardian.login_reactivated" if active else "guardian.login_deactivated"
        log_action(acting_user, action, guardian, school_id=school.pk, user_id=user.pk)


# Inviting many families at once.


@dataclass
class InvitationPlan:
    """Who an invitation to a group or the whole school would reach: guardians who may view a pupil placed there
    this school year, without a login. `unreachable` have no email address: the school reaches them another way."""

    invitable: list = field(default_factory=list)  # (guardian, email)
    unreachable: list = field(default_factory=list)  # guardians
    pupils_of: dict = field(default_factory=dict)  # guardian pk → the pupils there they may view

    @property
    def families(self):
        """Households (a guardian without one is a family of their own) that would get at least one mail."""
        return len({g.household_id or f"g{g.pk}" for g, _email in self.invitable})


def plan_invitations(*, school, group=None, today=None):
    today = today or timezone.localdate()
    placed = {"enrolments__school_year__start_year": SchoolYear.start_year_for(today)}
    if group is not None:
        placed["enrolments__group"] = group
    # The pupils' ids first: one plain query, then simple IN lists (faster on SQLite than nested subqueries).
    pupil_ids = list(
        Pupil.objects.enrolled(today).filter(school=school, **placed).values_list("pk", flat=True).distinct()
    )
    links = Guardianship.objects.filter(may_view=True, pupil_id__in=pupil_ids)
    guardians = (
        Guardian.objects.filter(user__isnull=True, pk__in=links.values("guardian_id"))
        .order_by("surname", "first_name", "pk")
        .prefetch_related(
            "contacts",
            Prefetch(
                "guardianships", queryset=links.select_related("pupil").order_by("pupil__roepnaam"), to_attr="links"
            ),
        )
    )
    plan = InvitationPlan()
    for guardian in guardians:
        guardian.invite_for = [link.pupil for link in guardian.links]
        plan.pupils_of[guardian.pk] = guardian.invite_for
        email = invitation_address(guardian)
        if email:
            plan.invitable.append((guardian, email))
        else:
            plan.unreachable.append(guardian)
    return plan


def invite_all(*, school, group=None, acting_user):
    """Invite every guardian of plan_invitations at once; returns the number of invitations sent. Guardians who got
    a login meanwhile (another click, an approved request) are skipped: each guardian gets one mail."""
    plan = plan_invitations(school=school, group=group)
    sent = 0
    with transaction.atomic():
        ids = [guardian.pk for guardian, _email in plan.invitable]
        # Locked in one order, so two bulk sends at once cannot deadlock; the second waits and then finds logins.
        locked = (
            Guardian.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, user__isnull=True)
            .order_by("pk")
            .prefetch_related("contacts")
        )
        for guardian in locked:
            email = invitation_address(guardian)
            if email:
                _invite(guardian, email=email, acting_user=acting_user, school=school, bulk=True)
                sent += 1
        log_action(
            acting_user,
            "guardians.invited",
            group if group is not None else school,
            school_id=school.pk,
            sent=sent,
            unreachable=len(plan.unreachable),
        )
    return sent


def _invite(guardian, *, email, acting_user, school, bulk):
    user = new_login(guardian, email=email, language="nl")
    log_action(acting_user, "guardian.invited", guardian, school_id=school.pk, user_id=user.pk, bulk=bulk)
    _invitation_mail(user, school)
    return user


def _invitation_mail(user, school):
    emails.guardian_invitation(
        to=user.email,
        language=user.language,
        school=school,
        username=user.username,
        set_password_url=tokens.set_password_url(user, first=True),
    )


def _lock(guardian):
    return Guardian.objects.select_for_update(of=("self",)).select_related("user").get(pk=guardian.pk)


def _refuse_if_just_sent(user, template):
    since = timezone.now() - RESEND_PAUSE
    if emails.recently_queued(to=user.email, template=template, since=since):
        raise AccountActionError(
            _("Deze e-mail is een paar minuten geleden al verstuurd. Wacht even voordat u hem opnieuw stuurt.")
        )
