from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login: a guardian's (through Guardian.user), a staff member's (through StaffRole), or both."""

    email = models.EmailField(_("e-mailadres"), blank=True, db_index=True)
    language = models.CharField(
        _("taal"), max_length=5, default="nl", choices=[("nl", "Nederlands"), ("en", "English")]
    )
    # Raised by "log out everywhere" and by a reset of the second step: every session signed with an older value
    # ends at its next request (accounts/sessions.py, end_other_sessions), wherever sessions are stored.
    session_generation = models.PositiveIntegerField(_("sessiegeneratie"), default=0, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def _get_session_auth_hash(self, secret=None):
        """Django checks this HMAC (of the password hash) on every request; the session generation goes into it, so
        raising it ends every session of the account. Generation 0 keeps Django's own value: no session ended when
        this was introduced."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "ouderportaal.accounts.User.get_session_auth_hash"
        value = f"{self.password}\x00{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class LoginRecord(models.Model):
    """One login of an account, for the account's own list of recent logins (the Account tab). Only the last
    KEEP per account are kept, and the address is removed after IP_DAYS (accounts/logins.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_records")
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    ip = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    device = models.CharField(_("apparaat"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="accounts_login_user_at")]

    def __str__(self):
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"
