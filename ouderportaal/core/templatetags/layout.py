"""Jinja2 partials for pages still on Django templates: the site's header and footer (jinja2/layout/) and the other
parts a parent page shares with the back-office (a letter as the parent reads it), so each is written once."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja_include(context, name, **extra):
    """`{% jinja_include "letters/includes/letter.html" download_url="…" %}`: the Jinja2 template `name` rendered
    with this page's context and `extra`, as `{% include … with … %}` would."""
    partial = engines["jinja2"].get_template(name)
    # Jinja2 escaped every value it put in: the HTML is safe as it stands.
    return mark_safe(partial.render(context.flatten() | extra, context.get("request")))  # noqa: S308


@register.simple_tag(takes_context=True)
def site_layout(context, part):
    """`{% site_layout "header" %}` or "footer": the partial rendered with this page's context."""
    return jinja_include(context, f"layout/{part}.html")
