from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    default = True
    name = "ouderportaal.twofactor"
    label = "twofactor"
    verbose_name = _("Tweestapsverificatie")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from ouderportaal.twofactor.middleware import mark_pending

        user_logged_in.connect(mark_pending, dispatch_uid="twofactor.mark_pending")


class OperatorAdminConfig(admin_apps.AdminConfig):
    """Django's admin, for operators only, behind the same second step as the back-office."""

    default = False
    default_site = "ouderportaal.twofactor.admin_site.OperatorAdminSite"
