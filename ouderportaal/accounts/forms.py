from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
        username.widget.attrs.update({"maxlength": 254, "autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("Wachtwoord")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


# Our own Dutch wording of the password validators' errors: Django's Dutch catalogue lags behind its English
# messages (6.1's "too short" shows in English), and parents should not meet English on a Dutch page.
PASSWORD_ERRORS = {
    "password_too_short": _("Dit wachtwoord is te kort: gebruik minstens %(min_length)d tekens."),
    "password_too_common": _("Dit wachtwoord wordt te vaak gebruikt. Kies een minder voor de hand liggend wachtwoord."),
    "password_entirely_numeric": _("Dit wachtwoord bestaat alleen uit cijfers. Gebruik ook letters."),
    "password_too_similar": _("Dit wachtwoord lijkt te veel op uw %(verbose_name)s."),
}


def translated_password_error(error):
    message = PASSWORD_ERRORS.get(error.code)
    return ValidationError(message, code=error.code, params=error.params) if message else error


class DutchPasswordErrorsMixin:
    """For Django's SetPasswordForm and PasswordChangeForm: the validators' errors in our own words."""

    def validate_password_for_user(self, user, password_field_name="password2"):  # noqa: S107 (a field name)
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, [translated_password_error(e) for e in error.error_list])


class PasswordChangeForm(DutchPasswordErrorsMixin, auth_forms.PasswordChangeForm):
    pass
