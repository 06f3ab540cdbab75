"""Who must use two-factor authentication, and where a session that has not passed it is sent."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.accounts.sessions import works_for_school


def required_for(user):
    """Staff of a school and the operators: they see every family's data, medical data included."""
    return user.is_authenticated and works_for_school(user)


def is_verified(user):
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def has_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_step(request):
    """None when this session passed the second step; else a redirect to it (enrolment on a first login),
    coming back here afterwards."""
    if is_verified(request.user):
        return None
    name = "twofactor_verify" if any(devices_for_user(request.user)) else "twofactor_setup"
    return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))
