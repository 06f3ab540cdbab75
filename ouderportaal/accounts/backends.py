from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from ouderportaal.core.prepared import Prepared


def account_for_login(typed):
    """The account a typed login names: its username (any case, spaces trimmed), else the email address when exactly
    one account has it; None otherwise. Login, lockout and "forgot password" all ask this one question."""
    typed = (typed or "").strip()
    if not typed or "\x00" in typed:  # no account has one, and PostgreSQL refuses NUL in a query
        return None
    User = get_user_model()
    user = User.objects.filter(username__iexact=typed).first()
    if user is None and "@" in typed:
        matches = list(User.objects.filter(email__iexact=typed)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


# The signed-in user, loaded on every request: its SQL built once per process (core/prepared.py) instead of by the ORM
# each time, which cost more than the database's answer.
_user_by_id = Prepared(
    get_user_model(),
    lambda probe: get_user_model()._default_manager.filter(pk=probe.pk),
    probe=lambda pk: SimpleNamespace(pk=pk),
)


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or, when exactly one account has it, the email address."""

    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _user_by_id(SimpleNamespace(pk=pk))
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = account_for_login(username)
        if user is None:
            get_user_model()().set_password(password)  # spend the same time as a real check: no user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
