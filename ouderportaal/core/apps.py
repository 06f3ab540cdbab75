from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ouderportaal.core"
    label = "core"
