from django.apps import AppConfig


class SchoolCalendarConfig(AppConfig):
    name = "ouderportaal.schoolcalendar"
    label = "schoolcalendar"
