from django import template

register = template.Library()


@register.filter
def person_name(row):
    """Roepnaam, voorvoegsel and surname of a pupil row from .values() (or of a Pupil)."""
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key, "")
    return " ".join(part for part in (get("roepnaam"), get("voorvoegsel"), get("surname")) if part)


def _name_says(name, levels):
    """Whether a group's name is just its year level(s): "Groep 7" for 7, "Groep 4/5" for 4/5."""
    return " ".join(str(name).split()).casefold() in {f"groep {levels}", str(levels)}


@register.filter
def shows_year_level(enrolment):
    """Whether the child's year level adds to the group's name: not for "Groep 7" (jaargroep 7), but for a
    combination group ("Groep 4/5": jaargroep 5) or a group with its own name ("De Uilen")."""
    return not _name_says(enrolment.group.name, enrolment.year_level)


@register.filter
def names_its_levels(group):
    return _name_says(group.name, group.year_levels)
