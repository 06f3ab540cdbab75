from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or, when exactly one account has it, the email address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        username = username.strip()
        user = User.objects.filter(username__iexact=username).first()
        if user is None and "@" in username:
            matches = list(User.objects.filter(email__iexact=username)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            User().set_password(password)  # spend the same time as a real check: no user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
