from django.apps import AppConfig


class AbsencesConfig(AppConfig):
    name = "ouderportaal.absences"
    label = "absences"
