from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "ouderportaal.changes"
    label = "changes"
