"""What every child tab shares: the tab bar, the child switcher and the school-year selector."""

import re

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.core.reverse import cached_reverse
from ouderportaal.school.access import guardian_children
from ouderportaal.school.models import SchoolYear

CHILD_TABS = [
    ("pupil_personalia", _("Personalia")),
    ("pupil_medical", _("Medisch")),
    ("pupil_group", _("Groep")),
    ("pupil_absences", _("Absenten")),
    ("pupil_results", _("Toetsen")),
]


def current_start_year():
    return SchoolYear.start_year_for(timezone.localdate())


def chosen_school_year(request, start_years, default=None):
    """The year of `?schooljaar=2025-2026` when it is one of `start_years`; otherwise (missing, malformed,
    unknown) `default`, else the current school year. Returns an unsaved SchoolYear, good for its name and dates."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{4})", request.GET.get("schooljaar", "").strip())
    if match and int(match[2]) == int(match[1]) + 1 and int(match[1]) in start_years:
        return SchoolYear(start_year=int(match[1]))
    return SchoolYear(start_year=default or current_start_year())


def year_options(start_years, chosen):
    return [
        {"value": str(SchoolYear(start_year=y)), "selected": y == chosen.start_year}
        for y in sorted(set(start_years) | {chosen.start_year}, reverse=True)
    ]


def render_child_page(request, pupil, url_name, template, context=None):
    """Render one tab of a child: the tab bar, and a switcher to the same tab of the guardian's other children."""
    children = guardian_children(request)
    tabs = [
        {"name": name, "url": cached_reverse(name, pupil.public_id), "label": label, "current": name == url_name}
        for name, label in CHILD_TABS
    ]
    switcher = [
        {"url": cached_reverse(url_name, child.public_id), "name": child.roepnaam, "current": child.pk == pupil.pk}
        for child in children
    ]
    return render(
        request,
        template,
        {
            "pupil": pupil,
            "tabs": tabs,
            "tab_label": dict(CHILD_TABS)[url_name],
            "switcher": switcher if len(children) > 1 else [],
            "section": "children",
        }
        | (context or {}),
    )
