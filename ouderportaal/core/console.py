"""The demo's mailer (`EMAIL_URL=console://`)."""

from django.core.mail.backends import console


class ConsoleBackend(console.EmailBackend):
    """The demo's mailer: prints each message readably (Django's console backend prints the raw MIME, where a long
    link is broken up by quoted-printable soft line breaks and cannot be copied)."""

    def write_message(self, message):
        msg = message.message()
        for header in ("From", "To", "Reply-To", "Subject", "Message-ID"):
            if msg[header]:
                self.stream.write(f"{header}: {msg[header]}\n")
        body = msg.get_body(preferencelist=("plain",))
        self.stream.write("\n" + (body.get_content() if body is not None else message.body).rstrip() + "\n")
        self.stream.write("-" * 79 + "\n")
