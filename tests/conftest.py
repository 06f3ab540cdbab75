"""The test cast: every view test can reach for the owner, a co-parent, an outsider and staff."""

from dataclasses import dataclass

import pytest

from tests import factories as f


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # Tests run tasks at once; one test drives the real database worker.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English (the language switch) leaves English active in the thread: each test starts in Dutch.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files (letter attachments) of a test stay in its own folder.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache (locmem in tests) lives as long as the process: a test starts without what earlier ones left.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_step_at_force_login(monkeypatch):
    """client.force_login(user) also passes the second step for a user with an enrolled app, as if the code had been
    typed (tests of the second step itself log in through the pages or use a user without an app)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture(autouse=True)
def _jinja_context_in_responses(monkeypatch):
    """response.context for pages rendered by Jinja2 too: Django instruments only its own template engine."""
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    original = Template.render

    def render(self, context=None, request=None):
        seen = dict(context or {})
        if request is not None:  # what the template sees: the context processors' variables too (`user`, …)
            seen["request"] = request
            for processor in self.backend.template_context_processors:
                seen.update(processor(request))
        template_rendered.send(sender=self, template=self, context=seen)
        return original(self, context, request)

    monkeypatch.setattr(Template, "render", render)


@dataclass
class Cast:
    school: object
    other_school: object
    group: object
    other_group: object
    child1: object
    child2: object
    parent: object  # user: guardian of child1 and child2
    guardian: object
    coparent: object  # user: other household, guardian of child1
    coparent_guardian: object
    no_authority: object  # user: guardian of child1 without authority, may not view
    outsider: object  # user: parent at the other school
    outsider_child: object
    staff: object  # administration of school
    other_staff: object  # administration of other_school


@pytest.fixture
def cast(db):
    board = f.make_board()
    school = f.make_school(board)
    other_school = f.make_school(board)
    group = f.make_group(school, "4/5", name="Groep 4/5")
    other_group = f.make_group(school, "7", name="Groep 7")
    child1 = f.make_pupil(school, group, 5, roepnaam="Sanne", surname="Visser")
    child2 = f.make_pupil(school, other_group, roepnaam="Daan", surname="Visser")
    home = f.make_household(board, name="Gezin Visser")
    parent = f.make_user("ouder")
    guardian = f.make_guardian(
        board,
        [child1, child2],
        user=parent,
        household=home,
        relation="moeder",
        is_main_caretaker=True,
        first_name="Eva",
        surname="Visser",
    )
    coparent = f.make_user("ouder2")
    other_home = f.make_household(board, name="Gezin de Boer", address_secret=True, street="Geheimstraat 9")
    coparent_guardian = f.make_guardian(
        board, [child1], user=coparent, household=other_home, first_name="Tom", surname="Boer", voorvoegsel="de"
    )
    no_authority = f.make_user("zonder_gezag")
    f.make_guardian(board, [child1], user=no_authority, has_authority=False, may_view=False)
    outsider = f.make_user("ouder3")
    outsider_child = f.make_pupil(other_school, f.make_group(other_school, "3"))
    f.make_guardian(board, [outsider_child], user=outsider)
    return Cast(
        school=school,
        other_school=other_school,
        group=group,
        other_group=other_group,
        child1=child1,
        child2=child2,
        parent=parent,
        guardian=guardian,
        coparent=coparent,
        coparent_guardian=coparent_guardian,
        no_authority=no_authority,
        outsider=outsider,
        outsider_child=outsider_child,
        staff=f.make_staff(school, username="administratie"),
        other_staff=f.make_staff(other_school, username="administratie_b"),
    )
