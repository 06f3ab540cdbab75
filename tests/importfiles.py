"""Small import files for tests, written the way administration systems write them."""

import io
from xml.sax.saxutils import escape


def edex(brin="05KO", year="2025-2026", groups=(), pupils=(), teachers=(), combined=(), old=False, encoding="UTF-8"):
    """groups: (key, name, jaargroep); pupils: dicts of EDEX field → value (+ "key", "groep", "samengesteld")."""
    prefix_tag = "tussenvoegsel" if old else "voorvoegsel"
    out = [f'<?xml version="1.0" encoding="{encoding}"?>', '<EDEX xsdversie="' + ("1.03" if old else "2.1") + '">']
    out.append(
        f"<school><schooljaar>{year}</schooljaar>" + (f"<brincode>{brin}</brincode>" if brin else "") + "</school>"
    )
    out.append("<groepen>")
    for key, name, level in groups:
        out.append(f'<groep key="{key}"><naam>{escape(name)}</naam><jaargroep>{level}</jaargroep></groep>')
    for key, name in combined:
        out.append(f'<samengestelde_groep key="{key}"><naam>{escape(name)}</naam></samengestelde_groep>')
    out.append("</groepen><leerlingen>")
    for pupil in pupils:
        pupil = dict(pupil)
        body = []
        for tag in ("achternaam", "voorvoegsel", "voornamen", "roepnaam", "geboortedatum", "geslacht", "jaargroep"):
            if pupil.get(tag) is not None:
                name = prefix_tag if tag == "voorvoegsel" else tag
                body.append(f"<{name}>{escape(pupil[tag])}</{name}>")
        if pupil.get("groep"):
            body.append(f'<groep key="{pupil["groep"]}"/>')
        if pupil.get("samengesteld"):
            body.append(
                f'<samengestelde_groepen><samengestelde_groep key="{pupil["samengesteld"]}"/></samengestelde_groepen>'
            )
        for tag in ("bsn", "instroomdatum", "uitstroomdatum"):
            if pupil.get(tag):
                body.append(f"<{tag}>{pupil[tag]}</{tag}>")
        out.append(f'<leerling key="{pupil["key"]}">' + "".join(body) + "</leerling>")
    out.append("</leerlingen><leerkrachten>")
    for key, first, surname, group_keys in teachers:
        refs = "".join(f'<groep key="{g}"/>' for g in group_keys)
        out.append(
            f'<leerkracht key="{key}"><achternaam>{surname}</achternaam><roepnaam>{first}</roepnaam>'
            f"<groepen>{refs}</groepen></leerkracht>"
        )
    out.append("</leerkrachten></EDEX>")
    return io.BytesIO("\n".join(out).encode("utf-8" if encoding == "UTF-8" else encoding))


def pupil(key, roepnaam, achternaam, born="2017-03-04", group="G1", level="5", **extra):
    return {
        "key": key,
        "roepnaam": roepnaam,
        "voornamen": roepnaam,
        "achternaam": achternaam,
        "geboortedatum": born,
        "geslacht": "2",
        "groep": group,
        "jaargroep": level,
        **extra,
    }


def csv_file(header, rows, delimiter=";", encoding="utf-8", bom=False):
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    return io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)


# The results CSV's columns (docs/imports.md), as the tests write them.
RESULT_HEADER = [
    "leerling_key",
    "achternaam",
    "roepnaam",
    "geboortedatum",
    "leergebied",
    "toets",
    "toetsmoment",
    "afnamedatum",
    "jaargroep",
    "toetsscore",
    "vaardigheidsscore",
    "niveau_iv",
    "niveau_ae",
]
