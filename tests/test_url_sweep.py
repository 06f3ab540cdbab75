"""Every URL of the project, checked for its access rule.

Each view carries a marker from core.pages (public_page, school.access.parent_page, backoffice.access.staff_page);
a view without one fails here. Then every page is opened as each member of the test cast:

  parent pages   anonymous → login; another family's parent, a guardian without may-view, staff → 404 for a
                 child's page; the parent → 200
  staff pages    anonymous → login; a parent → 404; staff → 200 or a redirect
  public pages   anonymous → 200, a redirect or 405 (never a 500)

URL arguments are filled from URL_KWARGS (by name) or ROUTE_KWARGS (by route, where a name means something else):
a new argument name fails the sweep until it is added there.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from ouderportaal.core.pages import PARENT, PUBLIC, STAFF

SKIPPED_INCLUDES = {"admin/"}  # Django's own admin: operators only

# URL argument name → its value for the test cast. Add an entry when a URL gets a new argument name.
URL_KWARGS = {
    "public_id": lambda c: c.child1.public_id,
    # Links from mails: a bogus token must give a page saying so (or 404), never a 500.
    "token": lambda c: "ongeldig-token",
    "uidb64": lambda c: "MQ",
    "run_id": lambda c: _import_run(c),
    # A letter sent to child1's group (parent and coparent), with one PDF.
    "letter_id": lambda c: _letter(c).public_id,
    "attachment_id": lambda c: _letter(c).attachments.get().public_id,
    "change_id": lambda c: _change_request(c),
    "closure_id": lambda c: _closure(c),
}


def _letter(c):
    from tests.letter_factories import cast_letter

    return cast_letter(c)


def _import_run(c):
    from ouderportaal.imports.models import ImportRun

    run = ImportRun.objects.create(school=c.school, source=ImportRun.Source.ABSENCES, file_name="absenties.csv")
    return run.pk


def _change_request(c):
    """A pending proposal by the parent about child1 (school A)."""
    from ouderportaal.changes.services import propose_change

    change = propose_change(
        acting_user=c.parent,
        guardian=c.guardian,
        section="personal",
        changes={"roepnaam": (c.child1.roepnaam, "Sannie")},
        school=c.school,
        pupil=c.child1,
    )
    return change.public_id


def _closure(c):
    from ouderportaal.results.models import ResultsClosure

    starts = timezone.now() + datetime.timedelta(days=30)
    return ResultsClosure.objects.create(
        school=c.school, starts_at=starts, ends_at=starts + datetime.timedelta(days=7)
    ).pk


def _account_request(c):
    from ouderportaal.onboarding.models import AccountRequest

    request = AccountRequest.objects.create(
        school=c.school,
        email="aanvrager@example.com",
        child_first_name=c.child1.roepnaam,
        child_surname=c.child1.surname,
        child_birth_date=c.child1.birth_date,
        confirmed_at=timezone.now(),
    )
    return request.public_id


# Where an argument name means something else on one route: route → {argument name → value}.
def _decided_leave(c):
    from ouderportaal.absences.models import LeaveRequest

    leave = LeaveRequest.objects.create(
        pupil=c.child1,
        kind="14",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        explanation="Bruiloft",
        school_days=1,
        status="granted",
        letter=b"%PDF-1.4 test",
    )
    return leave.public_id


ROUTE_KWARGS = {
    "verlof/<str:leave_id>/besluit.pdf": {"leave_id": _decided_leave},
    "beheer/verlof/<str:leave_id>/": {"leave_id": _decided_leave},
    "beheer/verlof/<str:leave_id>/<str:what>.pdf": {"leave_id": _decided_leave, "what": lambda c: "besluit"},
    "beheer/aanvragen/<str:public_id>/": {"public_id": _account_request},
}

ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def walk(patterns=None, prefix=""):
    """(route, view) for every URL pattern, through includes, skipping SKIPPED_INCLUDES."""
    if patterns is None:
        patterns = get_resolver("ouderportaal.urls").url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) not in SKIPPED_INCLUDES or prefix:
                yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def view_path(view):
    return f"{view.__module__}.{view.__qualname__}"


def page_kind(view):
    return getattr(view, "page_kind", None)


def argument_names(route):
    return [m["name"] for m in ARGUMENT.finditer(route)]


def fill(route, cast, **overrides):
    """The concrete path of `route` for the test cast."""
    if route.startswith("^") or "(?P<" in route:
        pytest.fail(f"{route}: a regular-expression route; the sweep fills path() routes only")

    def value(match):
        name = match["name"]
        if name in overrides:
            return str(overrides[name])
        if name in ROUTE_KWARGS.get(route, {}):
            return str(ROUTE_KWARGS[route][name](cast))
        if name not in URL_KWARGS:
            pytest.fail(f"URL {route!r} has the argument {name!r}: add it to URL_KWARGS in tests/test_url_sweep.py")
        return str(URL_KWARGS[name](cast))

    return "/" + ARGUMENT.sub(value, route)


ROUTES = list(walk())


def by_kind(kind):
    return [pytest.param(route, id=route or "/") for route, view in ROUTES if page_kind(view) == kind]


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def assert_login_redirect(response, path):
    login_url = resolve_url(settings.LOGIN_URL)
    assert response.status_code == 302, f"{path}: anonymous got {response.status_code}, expected a login redirect"
    assert response.url.startswith(login_url), f"{path}: anonymous redirected to {response.url}, not {login_url}"


def test_the_sweep_finds_the_parent_pages():
    routes = {route for route, view in ROUTES}
    assert {"", "kind/<str:public_id>/personalia/", "kind/<str:public_id>/toetsen/", "gezin/"} <= routes


def test_every_view_carries_a_page_marker():
    unmarked = [f"{route or '/'} → {view_path(view)}" for route, view in ROUTES if page_kind(view) is None]
    assert not unmarked, (
        "These views carry no page marker; decorate them with core.pages.public_page, "
        "school.access.parent_page or backoffice.access.staff_page:\n" + "\n".join(unmarked)
    )


def test_every_url_argument_has_a_value():
    unknown = sorted(
        {
            (name, route)
            for route, _ in ROUTES
            for name in argument_names(route)
            if name not in URL_KWARGS and name not in ROUTE_KWARGS.get(route, {})
        }
    )
    assert not unknown, "Add these URL arguments to URL_KWARGS in tests/test_url_sweep.py: " + ", ".join(
        f"{name} (in {route})" for name, route in unknown
    )


@pytest.mark.parametrize("route", by_kind(PARENT))
def test_parent_page(route, cast):
    path = fill(route, cast)
    assert_login_redirect(client_for(None).get(path), path)
    response = client_for(cast.parent).get(path)
    # A POST-only action (log out everywhere, a passkey ceremony's JSON step): its form lives on another page.
    post_only = "GET" not in client_for(cast.parent).put(path).get("Allow", "")
    assert response.status_code == (405 if post_only else 200), f"{path}: the parent got {response.status_code}"
    assert "no-store" in response.get("Cache-Control", ""), f"{path}: personal data must not be cached"
    strangers = {"outsider": cast.outsider, "no_authority": cast.no_authority, "staff": cast.staff}
    if argument_names(route):
        for who, user in strangers.items():
            status = client_for(user).get(path).status_code
            assert status == 404, f"{path}: {who} got {status}, expected 404"
    else:
        # Pages about "my" family: a stranger sees their own (empty) page, never the parent's children.
        for who, user in strangers.items():
            response = client_for(user).get(path)
            expected = (405,) if post_only else (200, 302)
            assert response.status_code in expected, f"{path}: {who} got {response.status_code}"
            assert cast.child1.full_name not in response.content.decode(), f"{path}: {who} sees child1"


@pytest.mark.parametrize("route", [p for p in by_kind(PARENT) if "public_id" in argument_names(p.values[0])])
def test_unknown_child_is_404(route, cast):
    path = fill(route, cast, public_id="onbekend-kind")
    assert client_for(cast.parent).get(path).status_code == 404


@pytest.mark.parametrize("route", by_kind(STAFF))
def test_staff_page(route, cast):
    path = fill(route, cast)
    assert_login_redirect(client_for(None).get(path), path)
    status = client_for(cast.parent).get(path).status_code
    assert status == 404, f"{path}: a parent got {status}, expected 404"
    response = client_for(cast.staff).get(path)
    status = response.status_code
    assert "no-store" in response.get("Cache-Control", ""), f"{path}: personal data must not be cached"
    # 405: a POST-only action (its form lives on another page).
    assert status in (200, 301, 302, 405), f"{path}: staff got {status}"
    if argument_names(route):
        # The object belongs to school A: staff of school B must not learn it exists.
        status = client_for(cast.other_staff).get(path).status_code
        assert status == 404, f"{path}: staff of another school got {status}, expected 404"


@pytest.mark.parametrize("route", by_kind(PUBLIC))
def test_public_page(route, cast):
    path = fill(route, cast)
    status = client_for(None).get(path).status_code
    allowed = {200, 301, 302, 405} | ({400, 404, 410} if argument_names(route) else set())
    assert status in allowed, f"{path}: anonymous got {status}"
