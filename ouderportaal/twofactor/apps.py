from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TwoFactorConfig(AppConfig):
    default = True
    name = "ouderportaal.twofactor"
    label = "twofactor"


class OperatorAdminConfig(admin_apps.AdminConfig):
    """Django's admin, for operators only, behind the same second step as the back-office."""

    default = False
    default_site = "ouderportaal.twofactor.admin_site.OperatorAdminSite"
