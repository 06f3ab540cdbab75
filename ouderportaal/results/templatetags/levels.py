from django import template

from ouderportaal.results import levels

register = template.Library()


@register.filter
def level_class(level):
    """`level-III` for a level delivered as 'III', 'III+' or 'iii-': the colour comes from /niveaukleuren.css."""
    return levels.level_class(level)


@register.simple_tag
def level_colours_version():
    return levels.level_colours_version()
