from django.tasks import task

from ouderportaal.onboarding import services


@task()
def send_password_reset(login: str) -> int:
    """The background part of "Wachtwoord vergeten?": the account lookup and the mail, away from the request, so
    that the answer takes as long whatever was typed."""
    services.purge_password_reset_requests()
    return services.send_password_reset(login=login)
