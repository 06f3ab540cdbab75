from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from ouderportaal.core import l10n
from ouderportaal.results import levels
from ouderportaal.results.report import level_id

register = template.Library()


@register.filter
def level_class(level):
    """`level-III` for a level delivered as 'III', 'III+' or 'iii-': the colour comes from /niveaukleuren.css."""
    return levels.level_class(level)


_colours_version = l10n.memory()  # worked out once: every results page links the stylesheet with it


@register.simple_tag
def level_colours_version():
    return l10n.remembered(_colours_version, "version", levels.level_colours_version)


@register.filter
def level_popover_id(result):
    """The id of the popover that explains this result's level."""
    return level_id(result.assessment.level_scheme, result.level)


NO_LEVEL = mark_safe('<span class="muted">—</span>')
_buttons = l10n.memory()  # (scheme, level, language) → the button: the Toetsen tab shows a hundred, of a few kinds


@register.simple_tag
def level_button(result):
    """A result's level as the button that opens its explanation, or a dash. A tag rather than an included template:
    the Toetsen page shows one per result, and an include costs several times as much per use. Its markup depends
    only on the scheme, the level and the language (and the colour settings: a change empties the memory)."""
    level = result.level
    if not level:
        return NO_LEVEL
    scheme = result.assessment.level_scheme
    return l10n.remembered(
        _buttons,
        (scheme, level, get_language()),
        lambda: format_html(
            '<button type="button" class="level {}" popovertarget="{}"><span class="visually-hidden">{} </span>{}'
            "</button>",
            levels.level_class(level),
            level_id(scheme, level),
            gettext("Niveau"),
            level,
        ),
    )
