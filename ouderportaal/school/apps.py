from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "ouderportaal.school"
    label = "school"
