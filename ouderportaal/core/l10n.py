"""Numbers, dates and choice labels as Django writes them in the active language, each distinct value worked out
once per process and language. The Toetsen tab writes the same few scores and test dates a hundred times a page, and
Django's number_format and date filter cost several microseconds a call (docs/benchmarks.md). The answer depends only
on the value, the format and the language (the formats and translations are fixed while the process runs; a changed
setting, which only tests make, empties the memory). A choice's label (get_FOO_display(), which builds the field's
choices anew on every call) likewise, once per model, field, value and language."""

import datetime
from decimal import Decimal

from django.core.signals import setting_changed
from django.template import defaultfilters
from django.utils import formats, translation
from django.utils.translation import get_language

LIMIT = 10_000  # distinct values kept; a page meets a few dozen
_memories = []


def memory():
    """A new memory for remembered(), emptied when a setting changes (only tests change them)."""
    answers = {}
    _memories.append(answers)
    return answers


def remembered(memory, key, work):
    """memory[key], worked out by work() the first time; at most LIMIT answers are kept."""
    text = memory.get(key)
    if text is None:
        if len(memory) >= LIMIT:
            memory.clear()
        text = memory[key] = work()
    return text


_numbers, _dates, _labels, _texts = memory(), memory(), memory(), memory()


def number(value, decimal_pos=None):
    """formats.number_format(value, decimal_pos, use_l10n=True): 12.5 → '12,5' in Dutch."""
    # str() tells 1.0 from 1 and Decimal('12.0') from Decimal('12'), which compare equal but are written apart.
    key = (value.__class__, str(value), decimal_pos, get_language())
    return remembered(_numbers, key, lambda: formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True))


def localize(value):
    """formats.localize(): numbers through number(), anything else as Django does it."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return number(value)
    return formats.localize(value)


def date(value, fmt=None):
    """Django's `date` filter for a calendar date or a moment (a datetime, in the time zone it carries: the key
    holds that zone too, since an aware datetime compares by its instant)."""
    if value.__class__ not in (datetime.date, datetime.datetime):
        return defaultfilters.date(value, fmt)
    key = (value, getattr(value, "tzinfo", None), fmt, get_language())
    return remembered(_dates, key, lambda: defaultfilters.date(value, fmt))


def label(instance, name):
    """instance.get_<name>_display(): a field's choice label in the active language (the value when it is none)."""
    key = (instance.__class__, name, getattr(instance, name), get_language())
    return remembered(_labels, key, getattr(instance, f"get_{name}_display"))


def gettext(message):
    """Django's gettext for the parent pages' Jinja2 `_()`: a literal's translation, worked out once per language
    (a page asks a dozen; Django's goes through the active translation's catalogues each time)."""
    return remembered(_texts, (message, get_language()), lambda: translation.gettext(message))


def once_per_language(build):
    """A function without arguments whose answer (texts in the active language) is worked out once per language."""
    answers = memory()

    def answer():
        language = get_language()
        if language not in answers:
            answers[language] = build()
        return answers[language]

    return answer


def _forget(**kwargs):
    for answers in _memories:
        answers.clear()


setting_changed.connect(_forget, dispatch_uid="ouderportaal.core.l10n")
