"""What the three CSV sources share: reading rows into checked values, finding pupils by key."""

import functools
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum.nl import postcode as postcode_number

from ouderportaal.imports.reading import BadValue, Problem, aliases_for, read_csv
from ouderportaal.school.models import Pupil

MEMO_LIMIT = 20_000  # distinct values remembered per column: dates, levels, scores and codes repeat all through a file


class Row:
    """One CSV line's values; `take` converts one column and records a Problem instead of raising.

    Conversions are remembered per column for the whole file (`memo`, shared by its rows): the same date, level or
    score text is checked once, not on each of 400,000 rows. A column is always read with one converter, and the
    converters are pure functions of the text, so a remembered value is what converting again would give. A
    converter that needs more than the text is bound first (`functools.partial`), once per module.
    """

    __slots__ = ("line", "values", "problems", "ok", "memo")

    def __init__(self, line, values, problems, memo):
        self.line, self.values, self.problems, self.ok, self.memo = line, values, problems, True, memo

    def raw(self, column):
        return self.values.get(column, "")

    def take(self, column, convert=None, *, required=False, max_length=None, default=None):
        text = self.values.get(column, "")
        if not text:
            if required:
                self.fail(column, text, _("verplicht veld is leeg"))
            return default if convert else ""
        if max_length and len(text) > max_length:
            self.fail(column, text, _("langer dan %(count)s tekens") % {"count": max_length})
            return None
        if convert is None:
            return text
        known = self.memo.get(column)
        if known is None:
            known = self.memo[column] = {}
        else:
            value = known.get(text, _UNKNOWN)
            if value is not _UNKNOWN:
                return value
        try:
            value = convert(text)
        except BadValue as error:
            self.fail(column, text, str(error))
            return None
        if len(known) < MEMO_LIMIT:
            known[text] = value
        return value

    def fail(self, column, value, message):
        self.problems.append(Problem(self.line, column, value[:100], message))
        self.ok = False

    def warn(self, column, value, message):
        self.problems.append(Problem(self.line, column, value[:100], message, warning=True))


_UNKNOWN = object()


class Rows:
    """A CSV file's rows (read once, in order) and `columns`, the known columns its header has: a source can skip a
    column the file does not have for all of its rows at once."""

    def __init__(self, fileobj, spec, required, problems, *, progress=None, known=None):
        self.file = read_csv(fileobj, aliases=aliases_for(spec), required=required)
        self.columns = frozenset(column for column in self.file.columns if column)
        self.problems, self.progress = problems, progress
        self.memo = {column: dict(values) for column, values in (known or {}).items()}

    def __iter__(self):
        csv_file, problems, memo, progress = self.file, self.problems, self.memo, self.progress
        for count, (line, values) in enumerate(csv_file.rows):
            if progress and count % 2000 == 0:
                progress(csv_file.lines.bytes_read, csv_file.size)
            yield Row(line, values, problems, memo)


def rows(fileobj, spec, required, problems, *, progress=None, known=None):
    """The file's rows (`Rows`); `known` ({column: {text: value}}) seeds the memo with values already stored and
    checked."""
    return Rows(fileobj, spec, required, problems, progress=progress, known=known)


# What the name and birth date cross-check and the key lookup read of a pupil (imports.fingerprints).
PUPIL_STATE = ["id", "school_id", "source_key", "roepnaam", "voorvoegsel", "surname", "birth_date"]


class PupilKey:
    """What the results and absences files read of a pupil (PUPIL_STATE), named as the model names it: 333 of these
    load in a fraction of what as many model instances take, three times for each school of a board."""

    __slots__ = ("pk", "school_id", "source_key", "roepnaam", "voorvoegsel", "surname", "birth_date")  # PUPIL_STATE
    full_name = Pupil.full_name
    __str__ = Pupil.__str__

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def pupils_by_key(school, *, keys_only=False):
    """The school's pupils by key: model instances, or (`keys_only`) just what PupilKey holds."""
    pupils = Pupil.objects.filter(school=school).exclude(source_key="")
    if keys_only:
        return {row[2]: PupilKey(*row) for row in pupils.values_list(*PUPIL_STATE)}
    return {p.source_key: p for p in pupils}


def find_pupil(row, pupils, column="leerling_key"):
    key = row.take(column, required=True, max_length=64)
    if not key:
        return None
    pupil = pupils.get(key)
    if pupil is None:
        row.fail(column, key, _("geen leerling met deze sleutel op deze school; importeer eerst het EDEX-bestand"))
    return pupil


@functools.lru_cache(maxsize=50_000)
def simplify(text):
    """Case, accents and punctuation do not count: "Van 't Hof" and "van thof" are the same name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def cross_check(row, pupil, birth_date):
    """Name and birth date in the file should match the pupil the key points at: a warning, not an error."""
    if not (birth_date or row.values.get("achternaam") or row.values.get("roepnaam")):
        return
    surname = row.raw("achternaam")
    if surname and simplify(surname) not in simplify(f"{pupil.voorvoegsel}{pupil.surname}"):
        row.warn("achternaam", surname, _("sleutel hoort bij %(name)s") % {"name": pupil.full_name})
    roepnaam = row.raw("roepnaam")
    if roepnaam and simplify(roepnaam) != simplify(pupil.roepnaam):
        row.warn("roepnaam", roepnaam, _("sleutel hoort bij %(name)s") % {"name": pupil.full_name})
    if birth_date and birth_date != pupil.birth_date:
        row.warn(
            "geboortedatum",
            row.raw("geboortedatum"),
            _("%(name)s is geboren op %(date)s") % {"name": pupil.full_name, "date": f"{pupil.birth_date:%d-%m-%Y}"},
        )


def as_postcode(text):
    try:
        return postcode_number.validate(text)
    except Exception:
        raise BadValue(_("geen geldige postcode (1234 AB)")) from None


def as_phone(text):
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise BadValue(_("geen geldig telefoonnummer"))
    return text[:20]


def as_email(text):
    try:
        validate_email(text)
    except ValidationError:
        raise BadValue(_("geen geldig e-mailadres")) from None
    return text


def as_choice(text, choices):
    value = choices.get(simplify(text))
    if value is None:
        raise BadValue(_("kies uit: %(choices)s") % {"choices": ", ".join(sorted(set(choices.values())))})
    return value
