from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ouderportaal.demo"
    verbose_name = "Demo"
