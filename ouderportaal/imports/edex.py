"""Reading an EDEX file (EDEXML 2.0/2.1 and the older 1.03) as a stream of small records.

defusedxml's SAX parser refuses any DTD, entity or external reference (billion laughs, XXE), and the file is fed in
chunks so memory stays bounded by the number of pupils, not the size of the file. Nothing here touches the database.
"""

import re
import xml.sax
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.utils.translation import gettext as _

from ouderportaal.imports.reading import CHUNK, MAX_FIELD, Refused, check_size

MAX_DEPTH = 12
# Where a record starts: its tag under its container under the root.
RECORDS = {
    ("groepen", "groep"),
    ("groepen", "samengestelde_groep"),
    ("leerlingen", "leerling"),
    ("leerkrachten", "leerkracht"),
}
# Old files (1.03) name some fields differently.
RENAMED = {"tussenvoegsel": "voorvoegsel", "voorletters": "voorletters-1"}


@dataclass
class Record:
    kind: str
    line: int
    key: str
    fields: dict = field(default_factory=dict)  # tag → text
    lines: dict = field(default_factory=dict)  # tag → line
    refs: dict = field(default_factory=dict)  # tag → [key, …] of nested elements with a key (groep, …)

    def get(self, name):
        return self.fields.get(name, "")


@dataclass
class EdexFile:
    school: dict = field(default_factory=dict)
    school_line: int = 1
    version: str = ""
    groups: list = field(default_factory=list)
    combined_groups: list = field(default_factory=list)
    pupils: list = field(default_factory=list)
    teachers: list = field(default_factory=list)


class _Handler(xml.sax.ContentHandler):
    def __init__(self, result):
        super().__init__()
        self.result = result
        self.stack = []
        self.record = None
        self.record_depth = 0
        self.text = []
        self.in_school = False

    def line(self):
        return self.parser.getLineNumber()

    def startElement(self, name, attrs):
        self.stack.append(name)
        depth = len(self.stack)
        if depth > MAX_DEPTH:
            raise Refused(_("Dit XML-bestand is dieper genest dan een EDEX-bestand ooit is."))
        if depth == 1:
            if name != "EDEX":
                raise Refused(
                    _("Dit is geen EDEX-bestand: het begint met <%(tag)s> in plaats van <EDEX>.") % {"tag": name}
                )
            self.result.version = attrs.get("xsdversie", "")
        elif depth == 2 and name == "school":
            self.in_school = True
            self.result.school_line = self.line()
        elif depth == 3 and (self.stack[1], name) in RECORDS:
            kind = "samengestelde_groep" if name == "samengestelde_groep" else name
            self.record = Record(kind=kind, line=self.line(), key=(attrs.get("key") or "").strip()[:64])
            self.record_depth = depth
        elif self.record is not None and "key" in attrs:
            self.record.refs.setdefault(name, []).append(attrs.get("key").strip()[:64])
        self.text = []

    def characters(self, content):
        if sum(len(t) for t in self.text) < MAX_FIELD:
            self.text.append(content)

    def endElement(self, name):
        depth = len(self.stack)
        text = "".join(self.text).strip()[:MAX_FIELD]
        self.text = []
        tag = RENAMED.get(name, name)
        if self.record is not None:
            if depth == self.record_depth:
                getattr(self.result, _LISTS[self.record.kind]).append(self.record)
                self.record = None
            elif depth == self.record_depth + 1 and text:
                self.record.fields[tag] = text
                self.record.lines[tag] = self.line()
        elif self.in_school:
            if depth == 2:
                self.in_school = False
            elif depth == 3 and text:
                self.result.school[tag] = text
        self.stack.pop()


_LISTS = {
    "groep": "groups",
    "samengestelde_groep": "combined_groups",
    "leerling": "pupils",
    "leerkracht": "teachers",
}


def parse_edex(fileobj, *, progress=None):
    """Parse an EDEX file into records; raises Refused for anything that is not a safe, well-formed EDEX file."""
    size = check_size(fileobj)
    head = fileobj.read(512)
    fileobj.seek(0)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(_("Dit is geen XML-bestand: het bevat binaire gegevens."))
    result = EdexFile()
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    handler = _Handler(result)
    handler.parser = parser  # the expat reader is its own locator (feed() never hands one out)
    parser.setContentHandler(handler)
    done = 0
    try:
        while chunk := fileobj.read(CHUNK):
            parser.feed(chunk)
            done += len(chunk)
            if progress:
                progress(done, size)
        parser.close()
    except DefusedXmlException:
        raise Refused(
            _(
                "Dit XML-bestand bevat een DTD of entiteiten; die komen in EDEX niet voor en worden om "
                "veiligheidsredenen geweigerd."
            )
        ) from None
    except xml.sax.SAXParseException as error:
        raise Refused(
            _("Dit is geen geldig XML-bestand (regel %(line)s, kolom %(column)s: %(problem)s).")
            % {"line": error.getLineNumber(), "column": error.getColumnNumber(), "problem": error.getMessage()}
        ) from None
    if not result.school and not result.pupils:
        raise Refused(_("Dit EDEX-bestand bevat geen school en geen leerlingen."))
    return result


SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-/]\s*(\d{4})$")


def parse_school_year(text):
    """'2025-2026' → 2025. Any later year is fine: the XSD's list stops at 2024-2025, schools go on."""
    match = SCHOOL_YEAR.match(text.strip())
    if not match or int(match[2]) != int(match[1]) + 1 or not 2000 <= int(match[1]) <= 2100:
        return None
    return int(match[1])
