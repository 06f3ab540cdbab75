import django_tasks_db.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ouderportaal.core"
    label = "core"
    verbose_name = _("Logboek en e-mail")

    def ready(self):
        from ouderportaal.core import securitylog  # noqa: F401 — connects the security log to auth and axes signals


class TasksConfig(django_tasks_db.apps.TasksAppConfig):
    """The task queue's results (mail sending) under a Dutch name in the Django admin."""

    default = False  # "ouderportaal.core" itself stays CoreConfig
    verbose_name = _("Achtergrondtaken")
