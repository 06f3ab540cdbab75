from django.urls import path

from ouderportaal.onboarding import views

urlpatterns = [
    path("aanvragen/", views.request_account, name="account_request"),
    path("aanvragen/verstuurd/", views.request_sent, name="account_request_sent"),
    path("aanvragen/bevestigen/<str:token>/", views.confirm, name="account_request_confirm"),
    path("wachtwoord-vergeten/", views.password_forgotten, name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", views.password_reset_sent, name="password_reset_sent"),
    path("wachtwoord-kiezen/<uidb64>/<token>/", views.choose_password, name="password_choose"),
    path("wachtwoord-herstellen/<uidb64>/<token>/", views.reset_password, name="password_reset_confirm"),
    path("wachtwoord-ingesteld/", views.password_reset_complete, name="password_reset_complete"),
]
