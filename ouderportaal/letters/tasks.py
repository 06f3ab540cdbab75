from django.tasks import task

from ouderportaal.letters import services


@task()
def send_scheduled_letters() -> int:
    return services.send_due_letters()
