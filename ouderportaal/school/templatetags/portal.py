from django import template

register = template.Library()


@register.filter
def person_name(row):
    """Roepnaam, voorvoegsel and surname of a pupil row from .values() (or of a Pupil)."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key, "")
    return " ".join(part for part in (get("roepnaam"), get("voorvoegsel"), get("surname")) if part)
