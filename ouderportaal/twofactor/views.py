"""Two-factor authentication for staff and operators: enrol an authenticator app (QR code), pass the second step
at each login, keep and renew recovery codes. django-otp keeps the devices; this module is the Dutch screens."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.core.audit import log_action
from ouderportaal.core.securitylog import event
from ouderportaal.twofactor import passkeys
from ouderportaal.twofactor.access import second_step_page, twofactor_page
from ouderportaal.twofactor.forms import EnrolForm, VerifyForm
from ouderportaal.twofactor.models import RecoveryCodeDevice
from ouderportaal.twofactor.policy import PENDING, has_device, is_verified, passkeys_of, required_for
from ouderportaal.twofactor.recovery import SESSION_CODES, new_recovery_codes, remaining


def next_url(request, default=None):
    """Where to go after the step: `next` when it stays in the portal; else the back-office (staff) or home."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse(default or ("backoffice:home" if required_for(request.user) else "home"))


def secret_of(device):
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@twofactor_page
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Enrolment (forced on a staff member's first login): an authenticator app or a passkey. Once enrolled: passkeys
    added or removed, new recovery codes, a new phone. The old phone keeps working until the new one has proved
    itself, so the account is never without its second step."""
    user = request.user
    enrolled = has_device(user)
    if enrolled and not is_verified(user):
        return redirect(reverse("twofactor_verify") + "?" + _next_query(request))
    if enrolled and request.method == "POST" and request.POST.get("action"):
        return manage(request, back=reverse("twofactor_setup"), may_remove_last=False)
    replacing = request.POST.get("replace") or request.GET.get("vervangen")
    if enrolled and not replacing:
        return render(request, "twofactor/enrolled.html", overview(request, back=reverse("twofactor_setup")))
    return enrol_app(request, next_url=next_url(request), template="twofactor/setup.html")


def overview(request, *, back):
    user = request.user
    return {
        "app": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        "passkeys": list(passkeys_of(user)),
        "remaining": remaining(user),
        "passkey_config": passkeys.config(request),
        "passkey_done": reverse("twofactor_codes") + "?" + urlencode({"next": back}),
    }


def manage(request, *, back, may_remove_last):
    """The actions of the overview (staff: /tweestaps/instellen/, parents: the Account tab): new recovery codes, a
    passkey removed. Staff cannot remove their last device (their second step is required)."""
    user, action = request.user, request.POST.get("action")
    if action == "codes":
        with transaction.atomic():
            new_recovery_codes(request)
            log_action(user, "account.twofactor.recovery_codes_renewed", user, school_id=None)
        event("twofactor.recovery_codes_renewed", request)
        return redirect(reverse("twofactor_codes") + "?" + urlencode({"next": back}))
    if action == "remove_passkey":
        key = request.POST.get("passkey", "")
        passkey = passkeys_of(user).filter(pk=int(key) if key.isdigit() else 0).first()
        has_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        if passkey is None:
            messages.error(request, _("Deze passkey bestaat niet (meer)."))
        elif not may_remove_last and not has_app and passkeys_of(user).count() == 1:
            messages.error(request, _("Dit is uw enige tweede stap. Stel eerst een app of een andere passkey in."))
        else:
            with transaction.atomic():
                log_action(user, "account.twofactor.passkey_removed", user, school_id=None, device=passkey.pk)
                passkey.delete()
            event("twofactor.passkey_removed", request)
            messages.success(request, _("De passkey is verwijderd."))
        return redirect(back)
    return redirect(back)


def enrol_app(request, *, next_url, template, extra=None):
    """Add (or replace) the authenticator app: a QR code drawn on the server, then the app's first code."""
    user = request.user
    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    first = not has_device(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator-app"), confirmed=False)
    form = EnrolForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()  # the old phone, if any
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            if first or not RecoveryCodeDevice.objects.filter(user=user).exists():
                new_recovery_codes(request)
            action = "account.twofactor.replaced" if enrolled else "account.twofactor.enrolled"
            log_action(user, action, user, school_id=None)
        otp_login(request, device)
        request.session.pop(PENDING, None)
        event(action.removeprefix("account."), request)
        if first:
            from ouderportaal.accounts.sessions import end_other_sessions

            end_other_sessions(request)  # they had no second step
        return redirect(reverse("twofactor_codes") + "?" + urlencode({"next": next_url}))
    uri = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
    context = {
        "form": form,
        "qr": uri,
        "secret": secret_of(device),
        "next": next_url,
        "replacing": enrolled,
        "first": first,
        "passkey_config": passkeys.config(request),
        "passkey_done": reverse("twofactor_codes") + "?" + urlencode({"next": next_url}),
    }
    return render(request, template, context | (extra or {}))


def _next_query(request):
    return urlencode({"next": next_url(request)})


@second_step_page
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """The second step at login: a passkey, a code from the app, or a recovery code when the phone is lost."""
    if is_verified(request.user):
        return redirect(next_url(request))
    if not has_device(request.user):
        return redirect(reverse("twofactor_setup") + "?" + _next_query(request))
    user = request.user  # still the account after a lockout logged this session out
    form = VerifyForm(request.POST or None, request=request)
    if request.method == "POST":
        with transaction.atomic():
            valid = form.is_valid()
        if valid:
            otp_login(request, form.device)
            request.session.pop(PENDING, None)
            if isinstance(form.device, RecoveryCodeDevice):
                left = form.device.codes.count()
                log_action(
                    request.user, "account.twofactor.recovery_code_used", request.user, school_id=None, left=left
                )
                event("twofactor.recovery_code_used", request, left=left)
                messages.warning(
                    request,
                    _("U hebt een herstelcode gebruikt; er zijn er nog %(left)d. Stel zo nodig een nieuwe telefoon in.")
                    % {"left": left},
                )
            return redirect(next_url(request))
        if getattr(request, "axes_locked_out", False):
            logout(request)  # axes answers with its lockout page
    context = {
        "form": form,
        "next": next_url(request),
        "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "has_passkey": passkeys_of(user).exists(),
        "passkey_config": passkeys.config(request),
    }
    return render(request, "twofactor/verify.html", context)


@second_step_page
@require_safe
def codes(request):
    """New recovery codes, shown once; without new codes (a later passkey) straight on to where the user was going."""
    if not is_verified(request.user):
        return redirect(reverse("twofactor_verify") + "?" + _next_query(request))
    new_codes = request.session.pop(SESSION_CODES, None)
    if not new_codes:
        return redirect(next_url(request))
    return render(request, "twofactor/codes.html", {"codes": new_codes, "next": next_url(request)})
