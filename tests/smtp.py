"""A real SMTP server (aiosmtpd) on loopback for tests that follow the links in the mail the project sends.

In a test module: a `mailbox` fixture that takes `settings` and yields from `with smtp.running(settings) as box`.
"""

import email
import email.policy
import re
import socket
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller

from ouderportaal.config import mailer_from_url

URL = re.compile(r"https?://[^\s<>\"]+")


def free_port():
    # aiosmtpd cannot take port 0: ask the OS for a free port, release it, hand it over.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """Collects every message the server accepts, parsed with the standard email package."""

    def __init__(self, port):
        self.messages = []
        self._arrived = threading.Condition()
        self.port = port
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address.lower() in m["To"].lower()]

    def last(self, address, *, subject_contains=""):
        found = [m for m in self.to(address) if subject_contains in m["Subject"]]
        assert found, f"no mail to {address} with {subject_contains!r}; got {[(m['To'], m['Subject']) for m in self]}"
        return found[-1]

    def wait_for(self, address, *, count=1, timeout=10.0):
        """For mail sent from another thread (the live server, the task worker)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.to(address)) < count:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no mail to {address} within {timeout}s"
                self._arrived.wait(remaining)
        return self.to(address)[-1]

    def __iter__(self):
        return iter(list(self.messages))

    def __len__(self):
        return len(self.messages)

    def start(self):
        # A stopped Controller cannot start again (its event loop is closed): a new one takes the same port.
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


def text_body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_body(message):
    return message.get_body(preferencelist=("html",)).get_content()


def links(message):
    """Every URL in the text body, in order."""
    return URL.findall(text_body(message))


def path_of(url):
    """The path and query of a link in a mail, to follow with the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@contextmanager
def running(settings):
    """Start the server and point the project's default mailer at it (through EMAIL_URL's parser).

    Django's test setup swaps MAILERS for locmem, so the override happens here, inside the test.
    """
    box = Mailbox(free_port())
    box.start()
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{box.port}?timeout=5")}
    try:
        yield box
    finally:
        if box.controller is not None:
            box.stop()
