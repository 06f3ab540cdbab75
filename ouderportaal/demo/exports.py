"""The demo board as its administration would export it: EDEX XML per school and year, and the three CSV files.

`write_exports` gives every pupil, guardian and household its source key (as an administration system would) and
writes the files; `build_demo` then imports them through the same pipeline a real school uses.
"""

import csv
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.reading import neutralise
from ouderportaal.school.models import ContactDetail, Guardian, Household, Pupil

Source = ImportRun.Source
FAMILY_COLUMNS = [
    "leerling_key", "ouder_key", "voorletters", "voornaam", "voorvoegsel", "achternaam", "relatie", "gezag",
    "mag_inzien", "ontvangt_post", "hoofdverzorger", "email", "email_soort", "email_geheim", "telefoon",
    "telefoon_soort", "telefoon_geheim", "telefoon_nood", "telefoon_2", "telefoon_2_soort", "telefoon_2_geheim",
    "telefoon_2_nood", "gezin_key", "gezin_naam", "straat", "postcode", "plaats", "gezin_telefoon", "adres_geheim",
    "geboorteplaats", "nationaliteit", "huisarts", "huisarts_praktijk", "huisarts_telefoon", "huisarts_straat",
    "huisarts_postcode", "huisarts_plaats",
]  # fmt: skip
RESULT_COLUMNS = [
    "leerling_key", "achternaam", "roepnaam", "geboortedatum", "leverancier", "leergebied", "toets", "toetsmoment",
    "afnamedatum", "jaargroep", "toetsscore", "vaardigheidsscore", "niveau_iv", "niveau_ae", "landelijk_genormeerd",
]  # fmt: skip
ABSENCE_COLUMNS = ["leerling_key", "datum", "dagdeel", "reden", "geoorloofd", "minuten_te_laat", "opmerking"]


def yes(value):
    return "ja" if value else "nee"


def assign_keys(planner):
    """Keys as an administration system hands them out: pupils per school, guardians and households per board."""
    per_school = defaultdict(int)
    for pupil in planner.out[Pupil]:
        per_school[pupil.school.brin] += 1
        pupil.source_key = str(10000 * (planner.schools.index(pupil.school) + 1) + per_school[pupil.school.brin])
    for n, guardian in enumerate(planner.out[Guardian], 1):
        guardian.source_key = f"V{n:05d}"
    for n, household in enumerate(planner.out[Household], 1):
        household.source_key = f"G{n:05d}"


def write_exports(planner, directory, *, keep=None):
    """Write every file into `directory`; returns [(school, source, path)] in the order to import them.

    `keep` (a set of id(pupil)) limits the files to those pupils and what they need: the small samples in docs/samples.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    assign_keys(planner)
    wanted = (lambda pupil: id(pupil) in keep) if keep is not None else (lambda pupil: True)
    files = []
    for school in planner.schools:
        slug = school.brin.lower()
        for year in planner.years:
            path = directory / f"{slug}-edex-{year}-{year + 1}.xml"
            _write_edex(planner, school, year, path, wanted)
            files.append((school, Source.EDEX, path))
        for source, writer in ((Source.FAMILIES, _families), (Source.RESULTS, _results), (Source.ABSENCES, _absences)):
            path = directory / f"{slug}-{source}.csv"
            columns, rows = writer(planner, school, wanted)
            with open(path, "w", encoding="utf-8-sig", newline="") as out:
                writer_ = csv.writer(out, delimiter=";")
                writer_.writerow(columns)
                writer_.writerows([neutralise(v) for v in row] for row in rows)
            files.append((school, source, path))
    return files


def _tag(name, value):
    return f"<{name}>{xml_escape(str(value))}</{name}>" if value not in (None, "") else ""


def _write_edex(planner, school, year, path, wanted):
    enrolments = [e for e in planner.enrolments if e.school_year.start_year == year and e.pupil.school is school]
    enrolments = [e for e in enrolments if wanted(e.pupil)]
    by_pupil = {id(e.pupil): e for e in enrolments}
    groups = [g for g in planner.groups if g.school is school and g.school_year.start_year == year]
    used = {id(e.group) for e in enrolments}
    groups = [g for g in groups if id(g) in used]
    teachers = defaultdict(list)
    for group, teacher in planner.group_teachers:
        if id(group) in used and group.school_year.start_year == year:
            teachers[id(teacher)].append((teacher, group))
    ends_on = planner.school_years[year].ends_on
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<EDEX>\n')
        out.write(
            f"<school>{_tag('schooljaar', f'{year}-{year + 1}')}{_tag('brincode', school.brin[:4])}"
            f"{_tag('xsdversie', '2.1')}</school>\n<groepen>\n"
        )
        for group in groups:
            level = "C" if "/" in group.year_levels else group.year_levels
            out.write(
                f"<groep key={quoteattr(group.source_key)}>{_tag('naam', group.name)}"
                f"{_tag('jaargroep', level)}</groep>\n"
            )
        out.write("</groepen>\n<leerlingen>\n")
        for pupil in planner.out[Pupil]:
            enrolment = by_pupil.get(id(pupil))
            if enrolment is None:
                continue
            left = pupil.left_on if pupil.left_on and pupil.left_on <= ends_on else None
            out.write(
                f"<leerling key={quoteattr(pupil.source_key)}>{_tag('achternaam', pupil.surname)}"
                f"{_tag('voorvoegsel', pupil.voorvoegsel)}{_tag('voornamen', pupil.first_names)}"
                f"{_tag('roepnaam', pupil.roepnaam)}{_tag('geboortedatum', pupil.birth_date.isoformat())}"
                f"{_tag('geslacht', pupil.gender)}{_tag('jaargroep', enrolment.year_level)}"
                f"<groep key={quoteattr(enrolment.group.source_key)}/>{_tag('bsn', pupil.bsn)}"
                f"{_tag('instroomdatum', pupil.enrolled_on.isoformat())}"
                f"{_tag('uitstroomdatum', left.isoformat() if left else '')}</leerling>\n"
            )
        out.write("</leerlingen>\n<leerkrachten>\n")
        for pairs in teachers.values():
            teacher = pairs[0][0]
            refs = "".join(f"<groep key={quoteattr(group.source_key)}/>" for _t, group in pairs)
            out.write(
                f"<leerkracht key={quoteattr(teacher.source_key)}>{_tag('achternaam', teacher.surname)}"
                f"{_tag('voorvoegsel', teacher.voorvoegsel)}{_tag('roepnaam', teacher.first_name)}"
                f"{_tag('emailadres', teacher.email)}<groepen>{refs}</groepen></leerkracht>\n"
            )
        out.write("</leerkrachten>\n</EDEX>\n")


def _families(planner, school, wanted):
    contacts = defaultdict(list)
    for contact in planner.out[ContactDetail]:
        contacts[id(contact.guardian)].append(contact)
    rows = []
    for link in planner.guardianship_rows:
        pupil, guardian = link.pupil, link.guardian
        if pupil.school is not school or not wanted(pupil):
            continue
        own = contacts[id(guardian)]
        email = next((c for c in own if c.kind == ContactDetail.Kind.EMAIL), None)
        phones = [c for c in own if c.kind == ContactDetail.Kind.PHONE][:2]
        phone_cells = []
        for phone in phones + [None] * (2 - len(phones)):
            phone_cells += [phone.value, phone.label, yes(phone.secret), yes(phone.emergency)] if phone else [""] * 4
        home, gp = guardian.household, pupil.general_practitioner
        rows.append([
            pupil.source_key, guardian.source_key, guardian.initials, guardian.first_name, guardian.voorvoegsel,
            guardian.surname, link.relation, yes(link.has_authority), yes(link.may_view), yes(link.receives_mail),
            yes(link.is_main_caretaker), email.value if email else "", email.label if email else "",
            yes(email and email.secret), *phone_cells,
            home.source_key, home.name, home.street, home.postcode, home.city, home.phone, yes(home.address_secret),
            pupil.birth_place, pupil.nationality, gp.name, gp.practice, gp.phone, gp.street, gp.postcode, gp.city,
        ])  # fmt: skip
    return FAMILY_COLUMNS, rows


def _results(planner, school, wanted):
    rows = []
    for result in planner.results:
        pupil, test = result.pupil, result.assessment
        if pupil.school is not school or not wanted(pupil):
            continue
        iv = result.level if test.level_scheme == "IV" and test.nationally_normed else ""
        ae = result.level if test.level_scheme == "AE" and test.nationally_normed else ""
        score = f"{result.ability_score}".replace(".", ",") if result.ability_score is not None else ""
        rows.append([
            pupil.source_key, " ".join(p for p in (pupil.voorvoegsel, pupil.surname) if p), pupil.roepnaam,
            f"{pupil.birth_date:%d-%m-%Y}", test.supplier, test.subject, test.name, result.moment,
            f"{result.taken_on:%d-%m-%Y}", result.moment[1:], result.score, score, iv, ae, yes(test.nationally_normed),
        ])  # fmt: skip
    return RESULT_COLUMNS, rows


def _absences(planner, school, wanted):
    rows = []
    for absence in planner.absences:
        pupil = absence.pupil
        if pupil.school is not school or not wanted(pupil):
            continue
        rows.append([
            pupil.source_key, f"{absence.date:%d-%m-%Y}", absence.part_of_day, absence.reason, yes(absence.excused),
            absence.minutes_late or "", absence.note,
        ])  # fmt: skip
    return ABSENCE_COLUMNS, rows
