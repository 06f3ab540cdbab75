from django.tasks import task

from ouderportaal.core import emails


@task()
def send_outgoing_mail(mail_id: int) -> bool:
    return emails.deliver(mail_id)


@task()
def send_outgoing_mail_batch(mail_ids: list[int], check_later: bool = True) -> int:
    """Send a batch over one SMTP connection. First it schedules a later look at the same rows, so a worker killed
    in the middle leaves nothing behind (that look sends only what is still due, and schedules nothing more)."""
    if check_later:
        emails.schedule_batch_check(mail_ids)
    return emails.deliver_batch(mail_ids)
