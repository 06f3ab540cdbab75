"""The account-request workflow. Each service is atomic, writes its audit row and queues its mail in the same
transaction; the mail leaves after commit."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ouderportaal.accounts.backends import account_for_login
from ouderportaal.core import emails
from ouderportaal.core.audit import log_action
from ouderportaal.onboarding import tokens
from ouderportaal.onboarding.matching import match_request, normalise_name
from ouderportaal.onboarding.models import AccountRequest, PasswordResetRequest
from ouderportaal.school.models import ContactDetail, Guardian

log = logging.getLogger(__name__)

RATE_WINDOW = timedelta(hours=1)
MAX_REQUESTS_PER_ADDRESS = 3
MAX_REQUESTS_PER_IP = 10
MAX_RESET_MAILS_PER_ADDRESS = 3
MAX_RESET_REQUESTS_PER_IP = 10


class DecisionError(Exception):
    """A decision that cannot be taken (already decided, nothing matched, wrong guardian); the text is for staff."""


def request_account(
    *, school, email, child_first_name, child_surname, child_birth_date, language, ip_address
) -> AccountRequest | None:
    """Record the request and mail the address: a confirmation link, or, when the address already has an account,
    its username and a reset link. Returns None when rate-limited (nothing is stored or sent)."""
    now = timezone.now()
    if _rate_limited(email=email, ip_address=ip_address, now=now):
        log.warning("account request from %s not accepted: rate limit reached", ip_address)
        return None
    users = list(get_user_model().objects.filter(email__iexact=email, is_active=True))
    with transaction.atomic():
        purge_unconfirmed_requests(now=now)
        account_request = AccountRequest.objects.create(
            school=school,
            email=email,
            child_first_name=child_first_name,
            child_surname=child_surname,
            child_birth_date=child_birth_date,
            language=language,
            ip_address=ip_address,
            status=AccountRequest.Status.EXISTING_ACCOUNT if users else AccountRequest.Status.PENDING,
        )
        log_action(None, "account_request.created", account_request, existing_account=bool(users))
        for user in users:
            emails.account_request_existing(
                to=user.email,  # the address on record (the typed one equals it, ignoring case)
                language=user.language,
                school=school,
                username=user.username,
                reset_url=tokens.set_password_url(user),
            )
        if not users:
            emails.account_request_confirm(
                to=email, language=language, school=school, confirm_url=tokens.confirm_url(account_request)
            )
    return account_request


def confirm_account_request(*, token) -> AccountRequest:
    """Mark the address confirmed; opening the link again changes nothing.
    Raises signing.SignatureExpired or signing.BadSignature (also when the request was deleted)."""
    public_id = tokens.read_confirm_token(token)
    with transaction.atomic():
        account_request = (
            AccountRequest.objects.select_for_update(of=("self",))
            .filter(public_id=public_id, status=AccountRequest.Status.PENDING)
            .select_related("school")
            .first()
        )
        if account_request is None:
            raise signing.BadSignature("no such request")
        if account_request.confirmed_at is None:
            account_request.confirmed_at = timezone.now()
            account_request.save(update_fields=["confirmed_at"])
            log_action(None, "account_request.confirmed", account_request)
            school = account_request.school
            emails.account_request_new(
                to=school.admin_email,
                school=school,
                review_url=settings.SITE_URL
                + reverse("backoffice:account_request", kwargs={"public_id": account_request.public_id}),
            )
    return account_request


def approve_account_request(account_request, *, acting_user, guardian) -> object:
    """Give the guardian a login (or reuse theirs) and mail the username and a one-time set-password link."""
    with transaction.atomic():
        account_request = _lock_pending(account_request)
        match = match_request(account_request)
        if match.pupil is None:
            raise DecisionError(
                _("Bij deze gegevens is geen leerling gevonden; deze aanvraag kan alleen worden afgewezen.")
            )
        if guardian is None or match.candidate(guardian.pk) is None:
            raise DecisionError(_("Kies een ouder/verzorger van deze leerling."))
        guardian = Guardian.objects.select_for_update(of=("self",)).select_related("user").get(pk=guardian.pk)
        if guardian.user is not None and not address_known(guardian, account_request.email):
            # Anyone who knows a child's name and birth date can confirm their own address: mailing this login's
            # username and a reset link there would hand the account over. Only an address already on record will do.
            raise DecisionError(
                _(
                    "%(name)s heeft al een account en dit e-mailadres is niet bij die ouder bekend. Goedkeuren zou de "
                    "gebruikersnaam en een wachtwoordlink naar een onbekend adres sturen; dat kan niet. Wijs de "
                    "aanvraag af, of kies een ouder/verzorger zonder account."
                )
                % {"name": guardian.full_name}
            )
        user, created = _account_for(guardian, account_request)
        if not guardian.contacts.filter(kind=ContactDetail.Kind.EMAIL, value__iexact=account_request.email).exists():
            # The seed: "the address you used is recorded to communicate with you". For a guardian who already had a
            # login this is an address on record already (checked above), never a new one.
            ContactDetail.objects.create(guardian=guardian, kind=ContactDetail.Kind.EMAIL, value=account_request.email)
        _decide(
            account_request,
            acting_user,
            AccountRequest.Status.APPROVED,
            guardian=guardian,
            pupil=match.pupil,
            user=user,
        )
        log_action(
            acting_user,
            "account_request.approved",
            account_request,
            pupil_id=match.pupil.pk,
            guardian_id=guardian.pk,
            user_id=user.pk,
            account_created=created,
        )
        emails.account_approved(
            to=account_request.email,
            language=user.language,
            school=account_request.school,
            username=user.username,
            set_password_url=tokens.set_password_url(user, first=not user.has_usable_password()),
        )
    return user


def reject_account_request(account_request, *, acting_user, reason) -> None:
    with transaction.atomic():
        account_request = _lock_pending(account_request)
        _decide(account_request, acting_user, AccountRequest.Status.REJECTED, reason=reason)
        log_action(acting_user, "account_request.rejected", account_request, reason=reason)
        emails.account_rejected(
            to=account_request.email,
            language=account_request.language,
            school=account_request.school,
            reason=reason,
        )


def request_password_reset(*, login, ip_address) -> bool:
    """The request's part of "Wachtwoord vergeten?": the same work whatever was typed (a count, one row, one task
    after commit); the lookup and the mail happen in the task (`send_password_reset`). At most
    MAX_RESET_REQUESTS_PER_IP per hour per IP address; beyond that nothing is sent and a warning is logged.
    Returns False when rate-limited."""
    from ouderportaal.onboarding.tasks import send_password_reset as send_task

    now = timezone.now()
    with transaction.atomic():
        if (
            ip_address
            and PasswordResetRequest.objects.filter(ip_address=ip_address, created_at__gte=now - RATE_WINDOW).count()
            >= MAX_RESET_REQUESTS_PER_IP
        ):
            log.warning("password reset request from %s not accepted: rate limit reached", ip_address)
            return False
        PasswordResetRequest.objects.create(ip_address=ip_address)
        transaction.on_commit(partial(send_task.enqueue, login))
    return True


def purge_password_reset_requests(*, now=None) -> int:
    """The per-IP count needs the last hour only."""
    deleted, _counts = PasswordResetRequest.objects.filter(
        created_at__lt=(now or timezone.now()) - RATE_WINDOW
    ).delete()
    return deleted


def send_password_reset(*, login) -> int:
    """Runs in the task worker (onboarding.tasks). Mail a reset link to the active account that `login` names
    (the same account the login page would take). Returns the number of mails queued (0 or 1)."""
    user = account_for_login(login)
    if user is None or not user.is_active or not user.email:
        return 0
    since = timezone.now() - RATE_WINDOW
    if emails.recently_queued(to=user.email, template="password-reset", since=since) >= MAX_RESET_MAILS_PER_ADDRESS:
        log.warning("password reset for user %s not sent: rate limit reached", user.pk)
        return 0
    with transaction.atomic():
        emails.password_reset(
            to=user.email, language=user.language, username=user.username, reset_url=tokens.set_password_url(user)
        )
        log_action(None, "account.password_reset_requested", user)
    return 1


def purge_unconfirmed_requests(*, now=None) -> int:
    """Unconfirmed requests live a week at most (the link expires after 48 hours)."""
    deleted, _counts = AccountRequest.objects.stale_unconfirmed(now).delete()
    return deleted


def address_known(guardian, email):
    """True when `email` is one of the guardian's recorded addresses (email contacts, or their login's), ignoring
    case and surrounding spaces."""
    email = email.strip().casefold()
    if guardian.user is not None and guardian.user.email.strip().casefold() == email:
        return True
    values = guardian.contacts.filter(kind=ContactDetail.Kind.EMAIL).values_list("value", flat=True)
    return any(value.strip().casefold() == email for value in values)


def _rate_limited(*, email, ip_address, now):
    recent = AccountRequest.objects.filter(created_at__gte=now - RATE_WINDOW)
    if recent.filter(email__iexact=email).count() >= MAX_REQUESTS_PER_ADDRESS:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= MAX_REQUESTS_PER_IP


def _lock_pending(account_request):
    locked = AccountRequest.objects.select_for_update(of=("self",)).select_related("school").get(pk=account_request.pk)
    if locked.confirmed_at is None or locked.status != AccountRequest.Status.PENDING:
        raise DecisionError(_("Deze aanvraag is al behandeld."))
    return locked


def _decide(account_request, acting_user, status, **fields):
    account_request.status = status
    account_request.decided_by = acting_user
    account_request.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(account_request, name, value)
    account_request.save(update_fields=["status", "decided_by", "decided_at", *fields])


def _account_for(guardian, account_request):
    """(user, created): the guardian's own login, or a new one without a password."""
    if guardian.user is not None:
        return guardian.user, False
    return new_login(guardian, email=account_request.email, language=account_request.language), True


def new_login(guardian, *, email, language):
    """A login for the guardian without a password: they choose one through a mailed one-time link."""
    User = get_user_model()
    user = User(
        username=_free_username(guardian),
        email=email,
        first_name=guardian.first_name[:150],
        last_name=" ".join(p for p in (guardian.voorvoegsel, guardian.surname) if p)[:150],
        language=language,
    )
    user.set_unusable_password()
    user.save()
    guardian.user = user
    guardian.save(update_fields=["user"])
    return user


def _free_username(guardian):
    base = ".".join(p for p in (normalise_name(guardian.first_name), normalise_name(guardian.surname)) if p)
    base = (base or "ouder")[:140]
    User = get_user_model()
    taken = {u.casefold() for u in User.objects.filter(username__istartswith=base).values_list("username", flat=True)}
    if base not in taken:
        return base
    return next(f"{base}{n}" for n in range(2, len(taken) + 3) if f"{base}{n}" not in taken)
