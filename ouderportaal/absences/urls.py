from django.urls import path

from ouderportaal.absences import views

urlpatterns = [
    path("kind/<str:public_id>/absenten/", views.absences, name="pupil_absences"),
]
