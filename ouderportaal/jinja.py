"""The Jinja2 environment of the parent pages (jinja2/) and of the site layout every page shares.

Why a second template engine: a parent page spent half of its time rendering Django templates (docs/benchmarks.md);
Jinja2 compiles a template to Python once and renders the same page several times faster. The back-office stays on
Django templates; both draw the site's header and footer from jinja2/layout/ (`core/templatetags/layout.py`).

Translations: templates write `_("Tekst")` (or `_("… %(name)s …")|format(name=…)`) so that `makemessages` finds
the text as in a Django template; plural texts live in Python (`ouderportaal/texts.py`).
Project-level like settings and urls: it may import every app.
"""

from django.conf import settings
from django.template import defaultfilters, engines
from django.templatetags.static import static
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from jinja2 import Environment
from ouderportaal import texts
from ouderportaal.changes import page_hooks as change_requests
from ouderportaal.core import l10n
from ouderportaal.core.reverse import cached_reverse
from ouderportaal.results import calendar as results_calendar
from ouderportaal.results.templatetags import levels as level_tags
from ouderportaal.school.templatetags import portal
from ouderportaal.twofactor import account_views as twofactor_account


def default(value, fallback="—"):
    """Django's `default`: the fallback for any false value (None, "", 0), not only an undefined one."""
    return value or fallback


def date(value, arg=None):
    """Django's `date` filter, in the current time zone as in a Django template (a date's or a moment's text is
    worked out once per value and language: core/l10n.py)."""
    return l10n.date(template_localtime(value), arg) if value else ""


def time(value, arg=None):
    return defaultfilters.time(template_localtime(value), arg) if value else ""


_static = l10n.memory()


def cached_static(path):
    """A static file's address, worked out once per path: the manifest of hashed names does not change while the
    process runs, and building the address (storage lookup, URL quoting) cost every page ~0.1 ms."""
    return l10n.remembered(_static, path, lambda: static(path))


def django_include(name, request=None, **context):
    """A Django template inside a Jinja2 page: the form fields every form shares (templates/includes/form_fields.html)
    are written once, for both engines."""
    return mark_safe(engines["django"].get_template(name).render(context, request))  # noqa: S308 (escaped by Django)


def languages():
    """(code, local name) of each language the portal speaks, for the footer's switcher."""
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


def environment(**options):
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(l10n.gettext, translation.ngettext)
    env.globals.update(
        url=cached_reverse,
        static=cached_static,
        django_include=django_include,
        get_language=translation.get_language,
        languages=languages,
        level_colours_version=level_tags.level_colours_version,
        texts=texts,
        calendar_feed_url=results_calendar.calendar_feed_url,
        pending_changes=change_requests.pending_for,
        proposals=change_requests.proposals_for,
        twofactor_card=twofactor_account.account_card,
    )
    env.filters.update(
        date=date,
        time=time,
        default=default,
        filesizeformat=defaultfilters.filesizeformat,
        capfirst=defaultfilters.capfirst,
        linebreaksbr=defaultfilters.linebreaksbr,
        localize=l10n.localize,
        label=l10n.label,
        level_button=level_tags.level_button,
        level_class=level_tags.level_class,
        shows_year_level=portal.shows_year_level,
        names_its_levels=portal.names_its_levels,
        person_name=portal.person_name,
        webcal=results_calendar.webcal,
    )
    return env
