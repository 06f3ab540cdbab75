from django import template

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
