from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ouderportaal.results import levels
from ouderportaal.results.report import level_id

register = template.Library()


@register.filter
def level_class(level):
    """`level-III` for a level delivered as 'III', 'III+' or 'iii-': the colour comes from /niveaukleuren.css."""
    return levels.level_class(level)


@register.simple_tag
def level_colours_version():
    return levels.level_colours_version()


@register.filter
def level_popover_id(result):
    """The id of the popover that explains this result's level."""
    return level_id(result.assessment.level_scheme, result.level)


@register.simple_tag
def level_button(result):
    """A result's level as the button that opens its explanation, or a dash. A tag rather than an included template:
    the Toetsen page shows one per result, and an include costs several times as much per use."""
    if not result.level:
        return mark_safe('<span class="muted">—</span>')
    return format_html(
        '<button type="button" class="level {}" popovertarget="{}"><span class="visually-hidden">{} </span>{}</button>',
        levels.level_class(result.level),
        level_id(result.assessment.level_scheme, result.level),
        gettext("Niveau"),
        result.level,
    )
