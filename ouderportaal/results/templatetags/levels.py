from django import template
from django.core.signals import setting_changed
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from ouderportaal.results import levels
from ouderportaal.results.report import level_id

register = template.Library()


@register.filter
def level_class(level):
    """`level-III` for a level delivered as 'III', 'III+' or 'iii-': the colour comes from /niveaukleuren.css."""
    return levels.level_class(level)


_colours_version = []  # worked out once: every results page links the stylesheet with it


@register.simple_tag
def level_colours_version():
    if not _colours_version:
        _colours_version.append(levels.level_colours_version())
    return _colours_version[0]


@register.filter
def level_popover_id(result):
    """The id of the popover that explains this result's level."""
    return level_id(result.assessment.level_scheme, result.level)


NO_LEVEL = mark_safe('<span class="muted">—</span>')
_buttons = {}  # (scheme, level, language) → the button: the Toetsen tab shows a hundred, of a few kinds


@register.simple_tag
def level_button(result):
    """A result's level as the button that opens its explanation, or a dash. A tag rather than an included template:
    the Toetsen page shows one per result, and an include costs several times as much per use. Its markup depends
    only on the scheme, the level and the language (and the colour settings: a change empties the memory)."""
    level = result.level
    if not level:
        return NO_LEVEL
    key = (result.assessment.level_scheme, level, get_language())
    button = _buttons.get(key)
    if button is None:
        if len(_buttons) >= 1000:  # levels are free text in an import: keep the memory bounded
            _buttons.clear()
        button = _buttons[key] = format_html(
            '<button type="button" class="level {}" popovertarget="{}"><span class="visually-hidden">{} </span>{}'
            "</button>",
            levels.level_class(level),
            level_id(key[0], level),
            gettext("Niveau"),
            level,
        )
    return button


def _forget(**kwargs):
    _buttons.clear()
    _colours_version.clear()


setting_changed.connect(_forget, dispatch_uid="ouderportaal.results.level_buttons")
