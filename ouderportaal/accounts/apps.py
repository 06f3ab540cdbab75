import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ouderportaal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")


class AxesConfig(axes.apps.AppConfig):
    """django-axes (failed logins, lockouts) under a Dutch name in the Django admin."""

    default = False  # "ouderportaal.accounts" itself stays AccountsConfig
    verbose_name = _("Inlogbeveiliging")
