"""The security log: the events are there, and no line in ANY log holds a BSN, a password, a token, a session id or
a child's name, whatever a visitor typed."""

import logging
import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.school.models import MedicalInfo
from tests import factories as f

BSN = "111222333"
SECRET_GUESS = "geheim-Wachtwoord-77"


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.getMessage()}")


@pytest.fixture
def logs():
    handler = Everything()
    loggers = [logging.getLogger(), logging.getLogger("ouderportaal"), logging.getLogger("django.request")]
    loggers += [logging.getLogger("axes"), logging.getLogger("ouderportaal.security")]
    old_levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.lines
    for logger, level in zip(loggers, old_levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def events(lines):
    return [m[1] for line in lines if (m := re.search(r"security event=(\S+)", line))]


def test_events_are_logged_without_secrets(cast, logs):
    client = Client()
    # Typed into the username field: a BSN, a password; neither may reach a log.
    client.post("/inloggen/", {"username": BSN, "password": SECRET_GUESS})
    client.post("/inloggen/", {"username": SECRET_GUESS, "password": BSN})
    for _ in range(5):
        client.post("/inloggen/", {"username": "ouder", "password": SECRET_GUESS})

    parent = Client()
    parent.force_login(cast.coparent)
    assert parent.get(f"/kind/{cast.child2.public_id}/medisch/").status_code == 404  # not the co-parent's child
    new = "een-nieuw-wachtwoord-42"
    parent.post("/account/wachtwoord/", {"old_password": f.PASSWORD, "new_password1": new, "new_password2": new})

    staff = Client()
    staff.post("/inloggen/", {"username": "administratie", "password": f.PASSWORD})
    staff.post("/tweestaps/controle/", {"otp_token": "000000"})
    staff.post("/tweestaps/controle/", {"otp_token": f.totp_code(TOTPDevice.objects.get(user=cast.staff))})

    info = MedicalInfo.objects.create(pupil=cast.child1, conditions="Diabetes")
    operator = Client()
    operator.force_login(f.make_user("operator", is_staff=True, is_superuser=True))
    operator.get(f"/admin/school/medicalinfo/{info.pk}/change/")

    seen = events(logs)
    for name in ("login.failed", "login.locked_out", "access.denied", "password.changed", "medical.read"):
        assert name in seen, f"no {name} in {seen}"
    assert f"account={cast.parent.pk}" in " ".join(logs)

    secrets = [BSN, SECRET_GUESS, new, f.PASSWORD, cast.child1.roepnaam, cast.child2.roepnaam, "Diabetes"]
    secrets += [s.session_key for s in (client.session, parent.session, staff.session, operator.session) if s]
    for line in logs:
        for secret in secrets:
            assert secret not in line, f"{secret!r} in a log line: {line}"
