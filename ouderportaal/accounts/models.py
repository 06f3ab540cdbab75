from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login: a guardian's (through Guardian.user), a staff member's (through StaffRole), or both."""

    email = models.EmailField(_("e-mailadres"), blank=True, db_index=True)
    language = models.CharField(
        _("taal"), max_length=5, default="nl", choices=[("nl", "Nederlands"), ("en", "English")]
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
