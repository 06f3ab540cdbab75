from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "ouderportaal.backoffice"
    label = "backoffice"
