from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "ouderportaal.backoffice"
    label = "backoffice"
    verbose_name = _("Beheer")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from ouderportaal.accounts.sessions import remember_roles
        from ouderportaal.backoffice.search import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="backoffice.register_sqlite_fold")
        user_logged_in.connect(remember_roles, dispatch_uid="backoffice.remember_roles")
