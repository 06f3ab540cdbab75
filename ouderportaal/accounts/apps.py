import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ouderportaal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from ouderportaal.accounts.logins import record_login

        user_logged_in.connect(record_login, dispatch_uid="accounts.record_login")


class AxesConfig(axes.apps.AppConfig):
    """django-axes (failed logins, lockouts) under a Dutch name in the Django admin."""

    default = False  # "ouderportaal.accounts" itself stays AccountsConfig
    verbose_name = _("Inlogbeveiliging")
