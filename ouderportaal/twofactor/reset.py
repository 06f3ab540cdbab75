"""A lost phone or passkey without recovery codes: the school's director (back-office) or an operator (Django's
admin) removes the account's second step. Every device goes (apps, passkeys, recovery codes), every session of the
account ends, staff enrol again at their next login, and the user is told by mail (through the outbox)."""

from django.db import transaction

from ouderportaal.accounts.sessions import end_other_sessions
from ouderportaal.core.audit import log_action
from ouderportaal.core.emails import queue_mail
from ouderportaal.core.securitylog import event
from ouderportaal.twofactor.policy import remove_devices, required_for


def reset_second_step(user, *, acting_user, request=None, school=None, via):
    """Returns the number of devices removed (0: nothing to reset, nothing written)."""
    with transaction.atomic():
        removed = remove_devices(user)
        if not removed:
            return 0
        school_id = school.pk if school is not None else None
        log_action(acting_user, "account.twofactor.reset", user, school_id=school_id, via=via, devices=removed)
        end_other_sessions(None, user)
        if user.email:
            context = {"username": user.get_username(), "school": school, "staff": required_for(user)}
            queue_mail("twofactor-reset", to=user.email, language=user.language, school_id=school_id, context=context)
    event("twofactor.reset", request, user=user, by=acting_user.pk if acting_user else "system", via=via)
    return removed
