"""Recovery codes, stored as keyed hashes (django-otp's own static tokens are kept in plain text).

A code is 10 random base32 characters (50 bits), shown once as "xxxxx-xxxxx". What is stored is an HMAC-SHA256 of
the code keyed with SECRET_KEY (`salted_hmac`): a copy of the database alone lets nobody log in with them, and a
check is one indexed lookup, not ten slow password hashes. Keys in SECRET_KEY_FALLBACKS are tried too, so rotating
the secret key does not invalidate the codes people keep on paper.
"""

from base64 import b32encode
from os import urandom

from django.conf import settings
from django.db import models, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

CODE_LENGTH = 10
LEGACY_LENGTH = 8  # django-otp's static tokens, moved here by migration 0002
KEY_SALT = "ouderportaal.twofactor.recovery_code"


def digest(code, secret=None):
    return salted_hmac(KEY_SALT, code, secret=secret, algorithm="sha256").hexdigest()


def digests(code):
    return [digest(code, secret) for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def normalise(code):
    return "".join(str(code).split()).replace("-", "").lower()


def random_code():
    return b32encode(urandom(10)).decode()[:CODE_LENGTH].lower()


def formatted(code):
    return f"{code[:5]}-{code[5:]}"


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """The account's recovery codes: one-time codes for when the phone or passkey is lost."""

    class Meta(Device.Meta):
        verbose_name = _("herstelcodes")
        verbose_name_plural = _("herstelcodes")

    def __str__(self):
        return f"{self.name} ({self.user_id})"

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token):
        if not self.verify_is_allowed()[0]:
            return False
        code = normalise(token)
        if len(code) not in (CODE_LENGTH, LEGACY_LENGTH):
            self.throttle_increment()
            return False
        with transaction.atomic():
            used = RecoveryCode.objects.filter(device=self, digest__in=digests(code)).delete()[0]
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return bool(used)

    def replace_codes(self, count):
        """New codes; the old ones stop working. Returns the codes in plain text, to be shown once."""
        codes = [random_code() for _ in range(count)]
        with transaction.atomic():
            self.codes.all().delete()
            RecoveryCode.objects.bulk_create(RecoveryCode(device=self, digest=digest(code)) for code in codes)
        return [formatted(code) for code in codes]


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("herstelcode")
        verbose_name_plural = _("herstelcodes")

    def __str__(self):
        return f"{self.device_id}"
