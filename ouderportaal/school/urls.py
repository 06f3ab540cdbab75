from django.urls import path

from ouderportaal.school import views

urlpatterns = [
    path("", views.home, name="home"),
    path("kind/<str:public_id>/personalia/", views.personalia, name="pupil_personalia"),
    path("kind/<str:public_id>/medisch/", views.medical, name="pupil_medical"),
    path("kind/<str:public_id>/groep/", views.group, name="pupil_group"),
    path("gezin/", views.family, name="family"),
    path("school/", views.schools, name="schools"),
]
