from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "ouderportaal.letters"
    label = "letters"
