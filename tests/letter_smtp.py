"""The loopback SMTP server of tests/smtp.py, taught to refuse addresses and to count connections."""

from contextlib import contextmanager

from ouderportaal.config import mailer_from_url
from tests import smtp


class StrictMailbox(smtp.Mailbox):
    def __init__(self, port, reject=()):
        super().__init__(port)
        self.reject = {address.lower() for address in reject}
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 Recipient address rejected: user unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@contextmanager
def running(settings, box_class=StrictMailbox, **kw):
    box = box_class(smtp.free_port(), **kw)
    box.start()
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{box.port}?timeout=5")}
    try:
        yield box
    finally:
        if box.controller is not None:
            box.stop()
