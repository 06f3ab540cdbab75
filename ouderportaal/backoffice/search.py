"""Finding pupils by what the office types: parts of names in any accents and case, and birth dates.

Names are compared folded: lower case, accents off, hyphens as spaces, apostrophes and dots dropped ("Zoë" → "zoe",
"Jansen-de Vries" → "jansen de vries", "'t Hart" → "t hart"). The database does the folding with a function named
`op_fold`, so that a search filters and paginates in SQL: on PostgreSQL a SQL function made by this app's migration,
on SQLite the Python function `fold` registered on every connection. Both use the one translation table below.
"""

import datetime
import re
import unicodedata

from django.db.models import CharField, Func, Q, Value
from django.db.models.functions import Concat

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d")
_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YEAR = re.compile(r"^(19|20)\d\d$")


def _table():
    """(from, to, delete): every accented Latin letter to its plain lower-case letter; '-' to a space."""
    source, target = [], []
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[0].lower()
        if base.isascii() and base.isalpha() and base != char:
            source.append(char)
            target.append(base)
    for char, plain in {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "-": " ", "‐": " "}.items():
        source.append(char)
        target.append(plain)
    return "".join(source), "".join(target), "'’‘."


FOLD_FROM, FOLD_TO, FOLD_DELETE = _table()
_TRANSLATION = str.maketrans(FOLD_FROM, FOLD_TO, FOLD_DELETE)


def fold(value):
    """The Python side of op_fold; PostgreSQL's lower() changes ASCII letters only, and so does this after the table."""
    if value is None:
        return None
    folded = value.translate(_TRANSLATION)
    return "".join(ch.lower() if ch.isascii() else ch for ch in folded)


class Fold(Func):
    function = "op_fold"
    output_field = CharField()


def register_sqlite_fold(sender, connection, **kwargs):
    """connection_created receiver: SQLite has no op_fold of its own."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("op_fold", 1, fold, deterministic=True)


def postgresql_fold_sql():
    def literal(text):
        return "'" + text.replace("'", "''") + "'"

    # translate() drops the characters of its second argument that have no counterpart in the third.
    return (
        "CREATE OR REPLACE FUNCTION op_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
        f"$$ SELECT lower(translate(value, {literal(FOLD_FROM + FOLD_DELETE)}, {literal(FOLD_TO)})) $$"
    )


class SearchError(ValueError):
    """Search text that cannot be used; the message is for the office."""


def parse(text):
    """(words, dates, years) of a search text; raises SearchError for a date that does not exist."""
    words, dates, years = [], [], []
    for token in text.split():
        match = _DATE.match(token)
        if match:
            day, month, year = (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
            try:
                dates.append(datetime.date(int(year), int(month), int(day)))
            except ValueError:
                raise SearchError(token) from None
        elif _YEAR.match(token):
            years.append(int(token))
        else:
            word = " ".join(fold(token).split())
            if word:
                words.extend(word.split())
    return words[:MAX_WORDS], dates, years


def name_text(prefix=""):
    """' ' + every name of the pupil, folded: a word starts after a space."""
    fields = ("roepnaam", "first_names", "voorvoegsel", "surname")
    parts = []
    for name in fields:
        parts += [Value(" "), f"{prefix}{name}"]
    return Concat(Value(" "), Fold(Concat(*parts, output_field=CharField())), output_field=CharField())


def pupil_filter(text, prefix=""):
    """A Q on pupils (fields under `prefix`, e.g. "pupil__") for the search text, with name_text annotated as
    `search_names`: every word begins a name word (so "van der" and "jan" match "Jan van der Berg")."""
    words, dates, years = parse(text)
    condition = Q()
    for word in words:
        condition &= Q(search_names__contains=" " + word)
    for day in dates:
        condition &= Q(**{f"{prefix}birth_date": day})
    for year in years:
        condition &= Q(**{f"{prefix}birth_date__year": year})
    return condition
