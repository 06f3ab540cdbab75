from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ouderportaal.accounts.lockout import is_locked, record_failure

TOO_MANY = _("Te veel verkeerde codes. Wacht een kwartier en probeer het dan opnieuw.")


def clean_code(value):
    """What people type: spaces and dashes between groups, any case."""
    return "".join(value.split()).replace("-", "").lower()


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_code(super().to_python(value))


class EnrolForm(forms.Form):
    """The first code from the app proves it holds the key."""

    otp_token = CodeField(label=_("Code uit de app (6 cijfers)"))

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"]
        if not (token.isdigit() and len(token) == self.device.digits and self.device.verify_token(token)):
            raise ValidationError(
                _("Deze code klopt niet. Controleer of de klok van uw telefoon goed staat en typ de nieuwste code."),
                code="invalid",
            )
        return token


class VerifyForm(forms.Form):
    """A code from the app or one recovery code. Wrong codes count against the account like wrong passwords."""

    otp_token = CodeField(
        label=_("Code uit de app, of een herstelcode"),
        help_text=_("De app toont elke 30 seconden een nieuwe code van 6 cijfers."),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.device = None

    def clean_otp_token(self):
        from django_otp import devices_for_user

        token = self.cleaned_data["otp_token"]
        user = self.request.user
        if is_locked(self.request, user):
            raise ValidationError(TOO_MANY, code="throttled")
        # The app's code first, then the recovery codes; each device throttles itself as well.
        for device in devices_for_user(user, for_verify=True):
            if device.verify_is_allowed()[0] and device.verify_token(token):
                self.device = device
                return token
        record_failure(self.request, user)
        raise ValidationError(_("Deze code klopt niet. Typ de nieuwste code uit de app."), code="invalid")


class PasswordConfirmForm(forms.Form):
    """Turning two-factor off asks for the password; wrong guesses count like failed logins."""

    password = forms.CharField(
        label=_("Uw wachtwoord"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        from ouderportaal.accounts.forms import TOO_MANY_GUESSES

        user = self.request.user
        if is_locked(self.request, user):
            raise ValidationError(TOO_MANY_GUESSES, code="throttled")
        password = self.cleaned_data["password"]
        if not user.check_password(password):
            record_failure(self.request, user)
            raise ValidationError(_("Dit wachtwoord klopt niet."), code="invalid")
        return password
