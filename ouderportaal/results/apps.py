from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "ouderportaal.results"
    label = "results"
