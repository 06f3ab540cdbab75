"""Recovery codes: made when the first device is enrolled, renewed on request, shown once (codes page)."""

from ouderportaal.twofactor.models import RecoveryCodeDevice

RECOVERY_CODES = 10
SESSION_CODES = "twofactor_new_codes"


def device_of(user):
    return RecoveryCodeDevice.objects.filter(user=user).first()


def remaining(user):
    device = device_of(user)
    return device.codes.count() if device else 0


def new_recovery_codes(request):
    """Replace the account's recovery codes; they are shown once (the codes page pops them from the session)."""
    device, _created = RecoveryCodeDevice.objects.get_or_create(user=request.user, defaults={"name": "Herstelcodes"})
    request.session[SESSION_CODES] = device.replace_codes(RECOVERY_CODES)
    return device


def ensure_recovery_codes(request):
    """The account's first device brings recovery codes; a later one keeps the codes there are."""
    if not RecoveryCodeDevice.objects.filter(user=request.user).exists():
        new_recovery_codes(request)
