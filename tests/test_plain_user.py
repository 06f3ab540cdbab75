"""core.middleware.plain_user: views see the account itself, with django-otp's answers on it."""

from django.contrib.auth.models import AnonymousUser

from ouderportaal.accounts.models import User


def test_a_page_sees_the_account_itself(client, cast):
    client.force_login(cast.parent)
    response = client.get("/")
    user = response.wsgi_request.user
    assert type(user) is User and user.pk == cast.parent.pk
    assert user.is_verified() is False  # django-otp's answer is kept on it


def test_without_a_session_the_anonymous_user(client, db):
    response = client.get("/health/")
    assert type(response.wsgi_request.user) is AnonymousUser
