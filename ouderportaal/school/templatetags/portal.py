from django import template

from ouderportaal.results import views as results_views

register = template.Library()


@register.filter
def level_class(level):
    """`level-III` for a level delivered as 'III', 'III+' or 'iii-': the colour comes from /niveaukleuren.css."""
    return results_views.level_class(level)


@register.simple_tag
def level_colours_version():
    return results_views.level_colours_version()


@register.filter
def person_name(row):
    """Roepnaam, voorvoegsel and surname of a pupil row from .values() (or of a Pupil)."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key, "")
    return " ".join(part for part in (get("roepnaam"), get("voorvoegsel"), get("surname")) if part)
