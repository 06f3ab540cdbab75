from django.urls import path

from ouderportaal.accounts import views

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("uitloggen/", views.logout, name="logout"),
    path("account/", views.account, name="account"),
    path("account/wachtwoord/", views.password_change, name="password_change"),
    path("account/overal-uitloggen/", views.logout_everywhere, name="logout_everywhere"),
]
