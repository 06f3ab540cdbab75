"""Links that travel by mail: the signed, expiring address confirmation, and the one-time set-password link."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

CONFIRM_MAX_AGE = timedelta(hours=48)
_confirm_signer = signing.TimestampSigner(salt="ouderportaal.onboarding.confirm-address")


def confirm_url(account_request):
    token = _confirm_signer.sign(account_request.public_id)
    return settings.SITE_URL + reverse("account_request_confirm", kwargs={"token": token})


def read_confirm_token(token):
    """The request's public id; raises signing.SignatureExpired or signing.BadSignature."""
    return _confirm_signer.unsign(token, max_age=CONFIRM_MAX_AGE)


def set_password_url(user, *, first=False):
    # Django's token hashes the password and last login: once a password is set the link is useless,
    # and it expires after PASSWORD_RESET_TIMEOUT.
    kwargs = {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
    return settings.SITE_URL + reverse("password_choose" if first else "password_reset_confirm", kwargs=kwargs)
