from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


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


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or, when exactly one account has it, the email address."""

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
