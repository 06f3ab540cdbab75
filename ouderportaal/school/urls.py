from django.urls import path

from ouderportaal.school import views

urlpatterns = [
    path("", views.home, name="home"),
]
