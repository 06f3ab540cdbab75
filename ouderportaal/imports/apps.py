from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ouderportaal.imports"
    verbose_name = "Imports"
