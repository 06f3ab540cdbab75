"""ouderportaal.jinja.cached_static: Django's static() answer, worked out once, anew when the settings change."""

from django.templatetags.static import static

from ouderportaal.jinja import cached_static


def test_a_static_address_is_djangos_and_follows_the_settings(settings):
    assert cached_static("css/portal.css") == static("css/portal.css")
    settings.STATIC_URL = "/elders/"
    assert cached_static("css/portal.css") == static("css/portal.css")
    assert cached_static("css/portal.css").startswith("/elders/")
