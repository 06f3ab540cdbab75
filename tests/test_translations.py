"""The English translation is complete: every Dutch string has an English one, none is left fuzzy."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries():
    for block in PO.read_text().split("\n\n")[1:]:
        if all(line.startswith("#") for line in block.splitlines()):
            continue  # obsolete ("#~" lines, perhaps under a "#," flags line)
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        body = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        msgid = "".join(re.findall(r'"(.*)"', body.split("msgstr")[0].split("msgid_plural")[0]))
        msgstrs = ["".join(re.findall(r'"(.*)"', part)) for part in re.split(r"msgstr(?:\[\d\])? ", body)[1:]]
        yield msgid, flags, msgstrs


def test_every_string_is_translated_and_none_is_fuzzy():
    problems = [msgid for msgid, flags, msgstrs in entries() if "fuzzy" in flags or not all(msgstrs)]
    assert not problems, "run `make messages` and translate: " + "; ".join(problems[:10])


def test_compiled_catalogue_matches_the_po_file():
    with open(PO.with_suffix(".mo"), "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for msgid, _, msgstrs in entries():
        if msgid and "\\" not in msgid and len(msgstrs) == 1:
            assert catalogue.gettext(msgid) == msgstrs[0], f"stale django.mo for {msgid!r}: run `make messages`"
