from django.urls import path

from ouderportaal.twofactor import views

urlpatterns = [
    path("instellen/", views.setup, name="twofactor_setup"),
    path("controle/", views.verify, name="twofactor_verify"),
    path("herstelcodes/", views.codes, name="twofactor_codes"),
]
