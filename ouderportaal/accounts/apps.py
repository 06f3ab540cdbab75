from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ouderportaal.accounts"
    label = "accounts"
