"""The URL sweep as a matrix: every URL pattern × every kind of visitor × {GET, POST, PUT, DELETE}.

Routes, their arguments and page kinds come from tests/test_url_sweep.py (walk, fill, URL_KWARGS), so a page added
there is in the matrix too. The methods a view serves are read from the Allow header of its 405 answer to PUT (the
`django.views.decorators.http` decorators send it); a view that answers PUT with anything else fails.

  public pages   a method the view does not declare → 405; a declared one → 200, a redirect (or 400/404/410 for
                 a bad link argument), never a server error
  parent pages   anonymous → the login page; the parent → 200 (GET) or 200/302 (POST), else 405; everybody else
                 → 404 on a child's page, their own (empty) page without the parent's child otherwise (a form may
                 refuse them with its reason: 403)
  staff pages    anonymous → the login page; parents → 404; the operator → 404 (only the two-factor pages are
                 theirs too); staff → 200 or a redirect, else 405; staff of another school → 404 on an object's page
                 (or 405 for a method the URL never serves: the same answer whether the object exists or not)

A method the URL never serves may also get 405 before the access check. Every status outside those sets fails, so
an unexpected 2xx fails too.
"""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from ouderportaal.core.pages import PARENT, PUBLIC, STAFF
from tests import factories as f
from tests.test_url_sweep import ROUTES, argument_names, fill, page_kind

METHODS = ["GET", "PUT", "DELETE", "POST"]  # POST last: it may log the visitor out
VISITORS = ["anonymous", "parent", "outsider", "no_authority", "staff", "other_staff", "operator"]
LOGIN = "login redirect"
# The second step's own pages (twofactor.access.twofactor_page): for operators as much as for staff.
OPERATOR_ROUTES = {route for route, view in ROUTES if route.startswith("tweestaps/")}
OWNER = {PUBLIC: "anonymous", PARENT: "parent", STAFF: "staff"}


def visitor(cast, who, operator):
    return {"anonymous": None, "operator": operator}.get(who, getattr(cast, who, None))


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def declared_methods(route, path, user):
    response = client_for(user).put(path)
    if response.status_code != 405:
        return None
    return {m.strip() for m in response["Allow"].split(",")}


def expected(kind, route, who, method, allowed):
    # A method the URL never serves may be refused before the access check (the decorator outside the page marker):
    # 405 then, which says nothing about the visitor's rights or any object. Never a 2xx.
    answers = access_answer(kind, route, who, method, allowed)
    return answers if method in allowed else answers | {405}


# The JSON steps of a passkey ceremony (twofactor.passkeys.api): an empty POST is refused by the package with 400
# (no ceremony started, malformed) or 403 (this account must pass its second step first).
JSON_ROUTES = {route for route, view in ROUTES if getattr(view, "json_api", False)}


def access_answer(kind, route, who, method, allowed):
    has_args = bool(argument_names(route))
    served = method in allowed
    if route in JSON_ROUTES and who != "anonymous" and served:
        return {200, 400, 403}
    if kind == PUBLIC:
        if not served:
            return {405}
        return {200, 301, 302} | ({400, 404, 410} if has_args else set())
    if who == "anonymous":
        return {LOGIN} if served else {LOGIN, 405}
    if kind == PARENT:
        if who != "parent" and has_args:
            return {404}
        if not served:
            return {405}
        if method == "GET" and who == "parent":
            return {200}
        # Somebody else's own page: a form may refuse them with the reason (no household, no authority: 403).
        return {200, 302} if who == "parent" else {200, 302, 403}
    # STAFF
    if who in ("parent", "outsider", "no_authority") or (who == "operator" and route not in OPERATOR_ROUTES):
        return {404}
    if who == "other_staff" and has_args:
        # A method the URL never serves may be refused before the object is looked up: the 405 is the same for
        # an object that does not exist, so it tells nothing about it.
        return {404} if served else {404, 405}
    if not served:
        return {405}
    # An empty POST to a staff action may be refused: no action named (404), not this role's to take (403).
    return {200, 301, 302} if method == "GET" else {200, 301, 302, 400, 403, 404}


def outcome(response):
    login_url = resolve_url(settings.LOGIN_URL)
    if response.status_code == 302 and response.url.startswith(login_url + "?"):
        return LOGIN
    return response.status_code


def shows_child(response, cast):
    return cast.child1.full_name in response.content.decode()


@pytest.fixture
def operator(db):
    return f.make_user("operator", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("route", [pytest.param(r, id=r or "/") for r, _ in ROUTES])
def test_every_visitor_and_method(route, cast, operator):
    view = dict(ROUTES)[route]
    kind = page_kind(view)
    path = fill(route, cast)
    allowed = declared_methods(route, path, visitor(cast, OWNER[kind], operator))
    assert allowed is not None, f"{path}: PUT is not refused with 405; declare the view's methods"
    failures = []
    for who in VISITORS:
        client = client_for(visitor(cast, who, operator))
        for method in METHODS:
            response = client.generic(method, path)
            got = outcome(response)
            want = expected(kind, route, who, method, allowed)
            if got not in want:
                failures.append(f"{method} {path} as {who}: {got}, expected one of {sorted(map(str, want))}")
            elif kind == PARENT and who not in ("parent", "anonymous") and got == 200 and shows_child(response, cast):
                failures.append(f"{method} {path} as {who}: shows the parent's child")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [pytest.param(r, id=r or "/") for r, _ in ROUTES])
def test_odd_methods_are_refused(route, cast, operator):
    """Methods no page serves (WebDAV, made-up ones, OPTIONS, PATCH) → 405 for the page's own visitor; HEAD answers
    like GET."""
    kind = page_kind(dict(ROUTES)[route])
    path = fill(route, cast)
    client = client_for(visitor(cast, OWNER[kind], operator))
    statuses = {method: client.generic(method, path).status_code for method in ["PATCH", "OPTIONS", "PROPFIND", "FOO"]}
    assert set(statuses.values()) == {405}, f"{path}: {statuses}"
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code, f"{path}: HEAD {head.status_code}, GET {get.status_code}"
    body = b"".join(head.streaming_content) if head.streaming else head.content
    assert body == b""
