"""Error pages speak Dutch (and English after the switch), never Django's bare English."""

from django.test import Client, override_settings
from django.urls import path

from ouderportaal.core.pages import public_page


@public_page
def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("kapot/", broken)]


def test_unknown_child_gets_a_dutch_404_page(client, cast):
    client.force_login(cast.parent)
    response = client.get("/kind/bestaat-niet/personalia/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet" in html and "Not Found" not in html


def test_unknown_url_in_english(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_is_dutch(db):
    response = Client(raise_request_exception=False).get("/kapot/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_outbox_admin_hides_message_bodies(client, db):
    from ouderportaal.core.models import OutgoingMail
    from tests import factories as f

    mail = OutgoingMail.objects.create(
        template="t", to="a@example.com", subject="Onderwerp", body_text="geheime-link-123", body_html="<p>x</p>"
    )
    client.force_login(f.make_user(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/core/outgoingmail/{mail.pk}/change/")
    assert response.status_code == 200
    assert "geheime-link-123" not in response.content.decode()
