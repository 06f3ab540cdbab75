"""Turning an uploaded file into rows, safely: size and shape limits, encoding, delimiter, Dutch values.

Nothing here touches the database. Every problem with a single value is a `Problem` (line, column, value, message);
a file that cannot be read at all raises `Refused` with a Dutch message.
"""

import codecs
import csv
import datetime
import decimal
import io
import operator
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
MAX_COLUMNS = 100
MAX_FIELD = 2000  # characters in one cell; a longer one is not a value from an administration system
csv.field_size_limit(MAX_FIELD * 4)


class Refused(Exception):
    """The file as a whole cannot be imported (too big, binary, not XML, unsafe XML, no header…)."""


@dataclass
class Problem:
    line: int
    column: str
    value: str
    message: str
    warning: bool = False

    def __str__(self):
        where = _("regel %(line)s") % {"line": self.line}
        if self.column:
            where += _(", kolom %(column)s") % {"column": self.column}
        value = f" ({self.value!r})" if self.value else ""
        return f"{where}{value}: {self.message}"

    def as_dict(self):
        return {"line": self.line, "column": self.column, "value": self.value[:100], "message": self.message}


def max_bytes():
    return settings.IMPORT_MAX_BYTES


def check_size(fileobj):
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > max_bytes():
        raise Refused(
            _("Dit bestand is %(size)s MB; de grens is %(limit)s MB. Splits het bestand per school.")
            % {"size": size // 2**20, "limit": max_bytes() // 2**20}
        )
    if size == 0:
        raise Refused(_("Dit bestand is leeg."))
    return size


def detect_encoding(fileobj):
    """UTF-8 (with or without BOM) when every byte decodes as UTF-8, otherwise cp1252 (Dutch Excel)."""
    fileobj.seek(0)
    head = fileobj.read(CHUNK)
    if b"\x00" in head:
        raise Refused(_("Dit is geen tekstbestand: het bevat binaire gegevens. Kies een CSV-bestand."))
    if head.startswith(codecs.BOM_UTF8):
        fileobj.seek(0)
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = head
    encoding = "utf-8"
    while chunk:
        if b"\x00" in chunk:
            raise Refused(_("Dit is geen tekstbestand: het bevat binaire gegevens. Kies een CSV-bestand."))
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            encoding = "cp1252"
            break
        chunk = fileobj.read(CHUNK)
    fileobj.seek(0)
    return encoding


class _Lines:
    """Decoded lines that keep a count of physical lines, for error messages."""

    def __init__(self, fileobj, encoding):
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self.fileobj = fileobj
        self.bytes_read = 0

    def __iter__(self):
        pending = ""
        while True:
            chunk = self.fileobj.read(CHUNK)
            self.bytes_read += len(chunk)
            if chunk and b"\x00" in chunk:
                raise Refused(_("Dit is geen tekstbestand: het bevat binaire gegevens. Kies een CSV-bestand."))
            text = pending + self.decoder.decode(chunk, final=not chunk)
            lines = io.StringIO(text, newline="").readlines()
            # A line may go on in the next chunk (a "\r" there may still be followed by "\n").
            pending = lines.pop() if chunk and lines and not lines[-1].endswith("\n") else ""
            yield from lines
            if not chunk:
                if pending:
                    yield pending
                return


def normalise_header(name):
    name = name.strip().strip('"').lower()
    return re.sub(r"[\s\-./]+", "_", name)


@dataclass
class CsvFile:
    columns: list  # canonical names, in file order (None for an unknown column)
    rows: object  # iterator of (line number, {canonical column: value})
    lines: _Lines
    size: int


def read_csv(fileobj, *, aliases, required):
    """Open a CSV file: refuse what is not a sane CSV, map the header through `aliases` (alias → canonical name)."""
    size = check_size(fileobj)
    encoding = detect_encoding(fileobj)
    lines = _Lines(fileobj, encoding)
    iterator = iter(lines)
    try:
        header_line = next(iterator)
    except StopIteration:
        raise Refused(_("Dit bestand is leeg.")) from None
    if len(header_line) > MAX_COLUMNS * 60:
        raise Refused(_("De kopregel is te lang: dit is geen importbestand van de administratie."))
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    if "\t" in header_line and header_line.count("\t") > header_line.count(delimiter):
        delimiter = "\t"
    header = next(csv.reader([header_line], delimiter=delimiter))
    if len(header) > MAX_COLUMNS:
        raise Refused(
            _("Dit bestand heeft %(count)s kolommen; een importbestand heeft er hooguit %(limit)s.")
            % {"count": len(header), "limit": MAX_COLUMNS}
        )
    columns = [aliases.get(normalise_header(name)) for name in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise Refused(
            _("Deze verplichte kolommen ontbreken in de kopregel: %(columns)s. Gevonden: %(found)s.")
            % {"columns": ", ".join(missing), "found": ", ".join(h.strip() for h in header[:20])}
        )
    duplicates = {c for c in columns if c and columns.count(c) > 1}
    if duplicates:
        raise Refused(_("Deze kolommen staan er dubbel in: %(columns)s.") % {"columns": ", ".join(sorted(duplicates))})

    width = len(columns)
    named = [column for column in columns if column]
    positions = [index for index, column in enumerate(columns) if column]
    if len(positions) == width:  # every column is known: the record as it is
        picked = None
    else:
        picked = operator.itemgetter(*positions) if len(positions) > 1 else lambda record: (record[positions[0]],)

    def rows():
        reader = csv.reader(iterator, delimiter=delimiter)
        try:
            for record in reader:
                line = reader.line_num + 1
                if len(record) != width:
                    if not "".join(record).strip():
                        continue
                    if len(record) > width and "".join(record[width:]).strip():
                        raise Refused(
                            _("Regel %(line)s heeft %(count)s velden, de kopregel %(header)s.")
                            % {"line": line, "count": len(record), "header": width}
                        )
                    record = (record + [""] * width)[:width]
                # `named` and the picked cells have the same length: zip needs no check, and passing it any
                # keyword (strict=…) costs a third of this line, run for each of 400,000 rows.
                values = dict(zip(named, map(str.strip, picked(record) if picked else record)))  # noqa: B905
                if not any(values.values()) and not "".join(record).strip():
                    continue
                yield line, values
        except csv.Error as error:
            if "field larger" in str(error):
                message = _("Regel %(line)s bevat een veld van meer dan %(count)s tekens.")
            else:
                message = _("Regel %(line)s is geen geldige CSV (bijvoorbeeld een aanhalingsteken dat niet sluit).")
            raise Refused(message % {"line": reader.line_num, "count": MAX_FIELD * 4}) from None

    return CsvFile(columns=columns, rows=rows(), lines=lines, size=size)


def aliases_for(spec):
    """{canonical: [alias, …]} → {normalised alias: canonical}."""
    return {normalise_header(alias): name for name, names in spec.items() for alias in (name, *names)}


# Values ---------------------------------------------------------------------------------------------------------

TRUE = {"ja", "j", "1", "true", "waar", "x", "y", "yes", "wel"}
FALSE = {"nee", "n", "0", "false", "onwaar", "no", "niet", ""}
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d")


class BadValue(ValueError):
    pass


def parse_bool(value, default=False):
    text = value.strip().lower()
    if text == "":
        return default
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise BadValue(_("verwacht ja of nee"))


DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value):
    text = value.strip()
    # The two usual forms without strptime, which costs more than the rest of a row.
    match = DUTCH_DATE.match(text) or ISO_DATE.match(text)
    if match:
        parts = [int(p) for p in match.groups()]
        year, month, day = parts if len(match[1]) == 4 else parts[::-1]
        try:
            if 1900 <= year <= 2100:
                return datetime.date(year, month, day)
        except ValueError:
            pass
        raise BadValue(_("verwacht een datum als 31-12-2025"))
    for fmt in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not 1900 <= day.year <= 2100:
            break
        return day
    raise BadValue(_("verwacht een datum als 31-12-2025"))


def parse_decimal(value):
    text = value.strip().replace(",", ".")
    try:
        number = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise BadValue(_("verwacht een getal")) from None
    if not number.is_finite() or abs(number) >= 1_000_000:
        raise BadValue(_("verwacht een getal"))
    return number.quantize(decimal.Decimal("0.1"))


def parse_int(value, low, high):
    try:
        number = int(value.strip())
    except ValueError:
        raise BadValue(_("verwacht een geheel getal")) from None
    if not low <= number <= high:
        raise BadValue(_("verwacht een getal van %(low)s tot en met %(high)s") % {"low": low, "high": high})
    return number


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A number or phone number ("-2,5", "+31 6 1234 5678") cannot call a function or another program: left as it is.
PLAIN_NUMBER = re.compile(r"^[0-9+\-\s.,()/]*$")


def neutralise(value):
    """A cell for a CSV the project writes: a leading formula character is escaped so no spreadsheet runs it."""
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text
