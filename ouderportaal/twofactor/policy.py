"""Who must use two-factor authentication, who chose to, and where a session that has not passed it is sent."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ouderportaal.accounts.sessions import works_for_school

# Set at login when the account has a second step (twofactor.middleware): no query on the pages after it.
PENDING = "twofactor_pending"


def required_for(user):
    """Staff of a school and the operators: they see every family's data, medical data included."""
    return user.is_authenticated and works_for_school(user)


def is_verified(user):
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def has_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passkeys_of(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def has_device(user):
    """An app or a passkey (recovery codes alone are no second step: they come with one)."""
    return has_app(user) or passkeys_of(user).exists()


def users_with_second_step(users):
    """The ids of these accounts that have an app or a passkey, in two queries."""
    ids = [user.pk for user in users]
    if not ids:
        return set()
    apps = TOTPDevice.objects.filter(user__in=ids, confirmed=True).values_list("user_id", flat=True)
    keys = WebAuthnCredential.objects.filter(user__in=ids, confirmed=True).values_list("user_id", flat=True)
    return set(apps) | set(keys)


def uses_second_step(user):
    """Required (staff, operators) or chosen (a parent who turned it on)."""
    return user.is_authenticated and (required_for(user) or has_device(user))


def second_step(request):
    """None when this session passed the second step; else a redirect to it (enrolment on a first login),
    coming back here afterwards."""
    if is_verified(request.user):
        return None
    name = "twofactor_verify" if has_device(request.user) else "twofactor_setup"
    return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))


def remove_devices(user):
    """Every device of the account: apps, passkeys, recovery codes. Returns how many."""
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    return len(devices)
