from django.urls import path

from ouderportaal.results import views

urlpatterns = [
    path("kind/<str:public_id>/toetsen/", views.results, name="pupil_results"),
    path("niveaukleuren.css", views.level_colours, name="level_colours"),
    path("agenda/<slug:token>/toetsweken.ics", views.calendar_feed, name="calendar_feed"),
    path("account/agenda/", views.calendar_feed_renew, name="calendar_feed_renew"),
]
