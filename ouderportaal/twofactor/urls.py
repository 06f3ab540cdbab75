from django.urls import path

from ouderportaal.twofactor import account_views, passkeys, views

urlpatterns = [
    path("instellen/", views.setup, name="twofactor_setup"),
    path("controle/", views.verify, name="twofactor_verify"),
    path("herstelcodes/", views.codes, name="twofactor_codes"),
    path("passkey/registreren/begin/", passkeys.register_begin, name="twofactor_passkey_register_begin"),
    path("passkey/registreren/klaar/", passkeys.register_complete, name="twofactor_passkey_register_complete"),
    path("passkey/controle/begin/", passkeys.auth_begin, name="twofactor_passkey_auth_begin"),
    path("passkey/controle/klaar/", passkeys.auth_complete, name="twofactor_passkey_auth_complete"),
    path("passkey/teksten.js", passkeys.i18n, name="twofactor_passkey_i18n"),
]

# Under /account/tweestaps/: the Account tab's own two-factor pages.
account_urlpatterns = [
    path("", account_views.twofactor, name="account_twofactor"),
    path("app/", account_views.app, name="account_twofactor_app"),
    path("uitzetten/", account_views.disable, name="account_twofactor_disable"),
]
