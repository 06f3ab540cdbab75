"""The site's header and footer for pages still on Django templates: drawn from the same Jinja2 partials as the
parent pages (jinja2/layout/), so the layout is written once."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def site_layout(context, part):
    """`{% site_layout "header" %}` or "footer": the partial rendered with this page's context."""
    partial = engines["jinja2"].get_template(f"layout/{part}.html")
    # Jinja2 escaped every value it put in: the HTML is safe as it stands.
    return mark_safe(partial.render(context.flatten(), context.get("request")))  # noqa: S308
