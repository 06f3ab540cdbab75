"""A school's director adds and removes the staff roles of that school. A new colleague without a login gets one
without a password and a mail with a one-time link to choose it; nobody's password is shown or mailed."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ouderportaal.core import emails
from ouderportaal.core.audit import log_action
from ouderportaal.onboarding import tokens
from ouderportaal.onboarding.matching import normalise_name
from ouderportaal.school.models import StaffRole


class StaffRoleError(Exception):
    """The text is for the director."""


def add_staff_role(*, school, email, first_name, last_name, role, acting_user):
    """Give the account with this address (or a new one) the role at the school. Returns (role, created_login)."""
    User = get_user_model()
    with transaction.atomic():
        users = list(User.objects.select_for_update().filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise StaffRoleError(_("Er zijn meerdere accounts met dit e-mailadres; vraag de beheerder om hulp."))
        created = not users
        user = users[0] if users else _new_staff_login(email=email, first_name=first_name, last_name=last_name)
        try:
            with transaction.atomic():
                staff_role = StaffRole.objects.create(user=user, school=school, role=role)
        except IntegrityError:
            raise StaffRoleError(_("%(email)s heeft deze rol al.") % {"email": email}) from None
        log_action(acting_user, "staff_role.added", staff_role, user_id=user.pk, role=role, login_created=created)
        if created:
            emails.staff_invitation(
                to=user.email,
                school=school,
                username=user.username,
                set_password_url=tokens.set_password_url(user, first=True),
            )
    return staff_role, created


def remove_staff_role(staff_role, *, acting_user):
    if staff_role.user_id == acting_user.pk and staff_role.role == StaffRole.Role.DIRECTOR:
        raise StaffRoleError(_("U kunt uw eigen rol als directeur niet verwijderen; vraag een andere directeur."))
    with transaction.atomic():
        log_action(acting_user, "staff_role.removed", staff_role, user_id=staff_role.user_id, role=staff_role.role)
        staff_role.delete()


def _new_staff_login(*, email, first_name, last_name):
    User = get_user_model()
    base = ".".join(p for p in (normalise_name(first_name), normalise_name(last_name)) if p)[:140] or "medewerker"
    taken = {u.casefold() for u in User.objects.filter(username__istartswith=base).values_list("username", flat=True)}
    username = (
        base if base not in taken else next(f"{base}{n}" for n in range(2, len(taken) + 3) if f"{base}{n}" not in taken)
    )
    user = User(username=username, email=email, first_name=first_name[:150], last_name=last_name[:150])
    user.set_unusable_password()
    user.save()
    return user
