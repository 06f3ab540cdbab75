from django.tasks import task

from ouderportaal.core import emails


@task()
def send_outgoing_mail(mail_id: int) -> bool:
    return emails.deliver(mail_id)
