from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def from_now(delta):
    """now + a timedelta: "try again at …" on the lockout page."""
    return timezone.now() + delta if delta else None
