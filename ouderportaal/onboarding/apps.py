from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "ouderportaal.onboarding"
    label = "onboarding"
