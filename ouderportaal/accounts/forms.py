from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ouderportaal.accounts.lockout import account_throttled, is_locked, record_failure

TOO_MANY_GUESSES = _(
    "Op dit account zijn de afgelopen minuten te vaak verkeerde wachtwoorden geprobeerd. Probeer het over een kwartier "
    "opnieuw, of kies een nieuw wachtwoord via ‘Wachtwoord vergeten’."
)


class LoginForm(auth_forms.AuthenticationForm):
    """Username or email address; one error message for every failure, so it never tells which part was wrong."""

    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam (of e-mailadres) en wachtwoord kennen we niet. Controleer beide en "
            "probeer het opnieuw."
        ),
        "inactive": _(
            "Deze combinatie van gebruikersnaam (of e-mailadres) en wachtwoord kennen we niet. Controleer beide en "
            "probeer het opnieuw."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Gebruikersnaam of e-mailadres")
        username.max_length = 254
        username.validators.append(MaxLengthValidator(254))
        username.widget.attrs.update({"maxlength": 254, "autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("Wachtwoord")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})

    def clean(self):
        # Guesses spread over many addresses: the per-account limit, checked before the password is.
        if account_throttled(self.request, self.data.get("username", "")[:254]):
            raise ValidationError(TOO_MANY_GUESSES, code="throttled")
        return super().clean()


class _WeakPasswordErrorsOnTheNewPassword:
    """Django shows "too short" or "too similar to the username" under the confirmation field; a parent looks for
    it under the password they chose. A mismatch stays under the confirmation."""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class SetPasswordForm(_WeakPasswordErrorsOnTheNewPassword, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(_WeakPasswordErrorsOnTheNewPassword, auth_forms.PasswordChangeForm):
    """Django's, with every wrong guess at the current password counted like a failed login."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        if is_locked(self.request, self.user):
            raise ValidationError(TOO_MANY_GUESSES, code="throttled")
        try:
            return super().clean_old_password()
        except ValidationError:
            record_failure(self.request, self.user)
            raise
