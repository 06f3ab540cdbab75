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
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.core.audit import log_action
from ouderportaal.core.securitylog import event
from ouderportaal.twofactor.access import twofactor_page
from ouderportaal.twofactor.forms import EnrolForm, VerifyForm
from ouderportaal.twofactor.policy import is_verified

RECOVERY_CODES = 10
SESSION_CODES = "twofactor_new_codes"


def next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("backoffice:home")


def new_recovery_codes(request):
    """Replace the account's recovery codes; they are shown once (the codes page pops them from the session)."""
    device, _created = StaticDevice.objects.get_or_create(user=request.user, defaults={"name": "Herstelcodes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    request.session[SESSION_CODES] = codes
    return device


def secret_of(device):
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@twofactor_page
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Enrolment (forced on a staff member's first login); once enrolled: new recovery codes, or a new phone. The old
    phone keeps working until the new one has proved itself, so the account is never without its second step."""
    enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    replacing = request.POST.get("replace") or request.GET.get("vervangen")
    if enrolled is not None and not is_verified(request.user):
        return redirect(reverse("twofactor_verify") + "?" + _next_query(request))
    if enrolled is not None and request.method == "POST" and request.POST.get("action") == "codes":
        with transaction.atomic():
            new_recovery_codes(request)
            log_action(request.user, "account.twofactor.recovery_codes_renewed", request.user, school_id=None)
        event("twofactor.recovery_codes_renewed", request)
        return redirect("twofactor_codes")
    if enrolled is not None and not replacing:
        static = StaticDevice.objects.filter(user=request.user).first()
        remaining = static.token_set.count() if static else 0
        return render(request, "twofactor/enrolled.html", {"device": enrolled, "remaining": remaining})
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator-app"), confirmed=False)
    form = EnrolForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()  # the old phone, if any
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            new_recovery_codes(request)
            action = "account.twofactor.replaced" if enrolled else "account.twofactor.enrolled"
            log_action(request.user, action, request.user, school_id=None)
        otp_login(request, device)
        event(action.removeprefix("account."), request)
        return redirect(reverse("twofactor_codes") + "?" + _next_query(request))
    uri = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
    context = {"form": form, "qr": uri, "secret": secret_of(device), "next": next_url(request), "replacing": enrolled}
    return render(request, "twofactor/setup.html", context)


def _next_query(request):
    return urlencode({"next": next_url(request)})


@twofactor_page
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """The second step at login: a code from the app, or a recovery code when the phone is lost."""
    if is_verified(request.user):
        return redirect(next_url(request))
    if not any(devices_for_user(request.user)):
        return redirect(reverse("twofactor_setup") + "?" + _next_query(request))
    form = VerifyForm(request.POST or None, request=request)
    if request.method == "POST":
        with transaction.atomic():
            valid = form.is_valid()
        if valid:
            otp_login(request, form.device)
            if isinstance(form.device, StaticDevice):
                left = form.device.token_set.count()
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
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url(request)})


@twofactor_page
@require_safe
def codes(request):
    """New recovery codes, shown once."""
    new_codes = request.session.pop(SESSION_CODES, None)
    if not new_codes or not is_verified(request.user):
        return redirect("twofactor_setup")
    return render(request, "twofactor/codes.html", {"codes": new_codes, "next": next_url(request)})
