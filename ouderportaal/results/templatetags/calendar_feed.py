from django import template
from django.conf import settings
from django.urls import reverse

from ouderportaal.results.models import CalendarFeed

register = template.Library()


@register.simple_tag
def calendar_feed_url(user):
    """The user's private test-week calendar address (absolute, for a calendar app), or '' when none was made."""
    token = CalendarFeed.objects.filter(user=user).values_list("token", flat=True).first()
    return settings.SITE_URL + reverse("calendar_feed", args=[token]) if token else ""


@register.filter
def webcal(url):
    """The same address for a calendar app's subscribe link (webcal://): most phones open their calendar with it."""
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url
