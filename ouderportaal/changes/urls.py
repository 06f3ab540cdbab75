from django.urls import path

from ouderportaal.changes import views

urlpatterns = [
    path("kind/<str:public_id>/personalia/wijzigen/", views.propose_personal, name="change_personal"),
    path("kind/<str:public_id>/medisch/wijzigen/", views.propose_medical, name="change_medical"),
    path("kind/<str:public_id>/medisch/klopt-nog/", views.confirm_medical, name="confirm_medical"),
    path("kind/<str:public_id>/huisarts/wijzigen/", views.propose_gp, name="change_gp"),
    path("kind/<str:public_id>/noodnummers/wijzigen/", views.propose_emergency, name="change_emergency"),
    path("gezin/adres/wijzigen/", views.propose_household, name="change_household"),
    path("gezin/contactgegevens/wijzigen/", views.propose_contacts, name="change_contacts"),
    path("gezin/klopt-nog/", views.confirm_family, name="confirm_family"),
    path("wijzigingen/<str:change_id>/intrekken/", views.withdraw, name="change_withdraw"),
]
