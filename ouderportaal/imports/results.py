"""The results CSV (docs/imports.md): one row per pupil, test and moment; upserted on exactly that.

Matched on the pupil key; name and birth date in the file are a cross-check that warns. Levels are stored as
delivered (norms change), never recomputed.
"""

import re
from functools import partial

from django.utils.translation import gettext as _

from ouderportaal.imports.csvsource import PUPIL_STATE, cross_check, find_pupil, pupils_by_key, rows
from ouderportaal.imports.fingerprints import ByValue
from ouderportaal.imports.reading import BadValue, parse_bool, parse_date, parse_decimal, parse_int
from ouderportaal.imports.upsert import Plan, ProblemLog, Section, stored_rows, with_ids
from ouderportaal.results.models import Assessment, TestResult
from ouderportaal.school.models import Pupil, SchoolYear

COLUMNS = {
    "leerling_key": ["leerlingnummer", "leerling_id", "leerling"],
    "achternaam": [],
    "roepnaam": [],
    "geboortedatum": [],
    "leverancier": ["uitgever"],
    "leergebied": ["vak", "vakgebied"],
    "toets": ["toetsnaam"],
    "toetsmoment": ["moment", "afnamemoment"],
    "afnamedatum": ["datum", "toetsdatum"],
    "jaargroep": ["groep"],
    "toetsscore": ["score", "ruwe_score"],
    "vaardigheidsscore": ["vs", "vaardigheid", "ability_score"],
    "niveau_iv": ["niveau_i_v", "iv", "functioneringsniveau"],
    "niveau_ae": ["niveau_a_e", "ae"],
    "landelijk_genormeerd": ["genormeerd"],
}
REQUIRED = ["leerling_key", "leergebied", "toets", "toetsmoment", "afnamedatum"]
MOMENT = re.compile(r"^([MEB])\s*([1-8])$")
LEVELS = {
    "IV": re.compile(r"^(I|II|III|IV|V)[+-]?$"),
    "AE": re.compile(r"^[A-E][+-]?$"),
}


def as_moment(text):
    match = MOMENT.match(text.strip().upper())
    if not match:
        raise BadValue(_("verwacht een toetsmoment als M5 of E5"))
    return match[1] + match[2]


def as_level(text, scheme):
    level = text.strip().upper()
    if not LEVELS[scheme].match(level):
        raise BadValue(_("geen niveau I t/m V") if scheme == "IV" else _("geen niveau A t/m E"))
    return level


# The level column of each scheme and its converter.
LEVEL_COLUMNS = {
    "IV": ("niveau_iv", partial(as_level, scheme="IV")),
    "AE": ("niveau_ae", partial(as_level, scheme="AE")),
}
as_year_level = partial(parse_int, low=1, high=8)


def prepare_results(fileobj, *, school, progress=None, **_options):
    problems = ProblemLog()
    pupils = pupils_by_key(school, keys_only=True)
    assessments = {(a.supplier, a.subject, a.name): a for a in Assessment.objects.all()}
    years = {y.start_year: y for y in SchoolYear.objects.all()}
    assessment_section = Section(_("toetsen"), Assessment)
    section = Section(_("toetsresultaten"), TestResult, fields=FIELDS, compared=COMPARED)
    plan = Plan(sections=[assessment_section, section], problems=problems)
    stored = _stored(school, years, section.compared)
    seen, tests, days = {}, {}, {}

    def describe(_values):  # called by compare_row for the row in hand
        return f"{pupil} {assessment.name} {moment}"

    source = rows(fileobj, COLUMNS, REQUIRED, problems, progress=progress)
    # A column the file does not have is empty on every row: not asked for 400,000 times.
    has = source.columns
    names_given = bool(has & {"achternaam", "roepnaam", "geboortedatum"})
    has_birth_date, has_supplier, has_level = "geboortedatum" in has, "leverancier" in has, "jaargroep" in has
    has_score, has_ability, has_normed = "toetsscore" in has, "vaardigheidsscore" in has, "landelijk_genormeerd" in has
    has_iv, has_ae = "niveau_iv" in has, "niveau_ae" in has
    # The fast path of each cell: a text seen before is looked up in what Row.take remembered of it (a key in
    # `pupils`, a remembered conversion); anything else (empty, too long, not valid yet) goes through Row.take,
    # which checks it and reports the problem. A falsy remembered value (0.0) just takes the slow path.
    memo = source.memo
    moments, dates, abilities = (memo.setdefault(c, {}) for c in ("toetsmoment", "afnamedatum", "vaardigheidsscore"))
    levels = {column: memo.setdefault(column, {}) for column in ("niveau_iv", "niveau_ae")}
    for row in source:
        take, get = row.take, row.values.get
        pupil = pupils.get(get("leerling_key")) or find_pupil(row, pupils)
        birth_date = take("geboortedatum", parse_date) if has_birth_date else None
        supplier = has_supplier and take("leverancier", max_length=100) or "Cito"
        subject, name = get("leergebied"), get("toets")
        if not 0 < len(subject) <= 100:
            subject = take("leergebied", required=True, max_length=100)
        if not 0 < len(name) <= 200:
            name = take("toets", required=True, max_length=200)
        moment = moments.get(get("toetsmoment")) or take("toetsmoment", as_moment, required=True)
        taken_on = dates.get(get("afnamedatum")) or take("afnamedatum", parse_date, required=True)
        if has_level:
            take("jaargroep", as_year_level)
        score = take("toetsscore", max_length=20) if has_score else ""
        ability = (
            (abilities.get(get("vaardigheidsscore")) or take("vaardigheidsscore", parse_decimal))
            if has_ability
            else None
        )
        scheme = "IV" if has_iv and get("niveau_iv") else "AE" if has_ae and get("niveau_ae") else None
        level = ""
        if scheme:
            column, convert = LEVEL_COLUMNS[scheme]
            level = levels[column].get(get(column)) or take(column, convert)
        normed = (
            take("landelijk_genormeerd", parse_bool, default=True)
            if has_normed and get("landelijk_genormeerd")
            else True
        )
        if not row.ok:
            continue
        if names_given:
            cross_check(row, pupil, birth_date)
        key = (supplier, subject, name)
        # Per test and per day once: the test and school year, and what a new row refers to them by (the id, or
        # the instance that gets one when the plan is applied).
        test = tests.get(key)
        if test is None:
            assessment = assessments.get(key)
            if assessment is None:
                assessment = assessments[key] = Assessment(
                    supplier=supplier, subject=subject, name=name, nationally_normed=normed, level_scheme=scheme or "IV"
                )
                assessment_section.new.append(assessment)
                assessment_section.samples_new.append(str(assessment))
            test = tests[key] = (assessment, assessment.pk, assessment.pk or assessment)
        assessment, assessment_id, assessment_ref = test
        day = days.get(taken_on)
        if day is None:
            start = SchoolYear.start_year_for(taken_on)
            year = years.get(start) or years.setdefault(start, SchoolYear(start_year=start))
            day = days[taken_on] = (start, year.pk or year)
        start_year, year_ref = day
        pupil_id = pupil.pk
        unique = (pupil_id, key, start_year, moment)
        if unique in seen:
            row.fail(
                "toetsmoment",
                moment,
                _("deze toets en dit moment staan voor deze leerling al op regel %(line)s") % {"line": seen[unique]},
            )
            continue
        seen[unique] = row.line
        # In the order of FIELDS. Nothing stored for the school yet (a first import): nothing to look up.
        values = (pupil_id, assessment_ref, year_ref, moment, taken_on, score or "", ability, level)
        existing = stored.get((pupil_id, assessment_id, start_year, moment)) if stored else None
        section.compare_row(existing, values, describe=describe)
    plan.rows = len(seen)

    def apply():
        for year in years.values():
            if year.pk is None:
                year.save()
        assessment_section.write()
        if any(not isinstance(ref, int) for _a, _id, ref in tests.values()) or any(
            not isinstance(ref, int) for _start, ref in days.values()
        ):  # rows of a test or school year created just now: its id in place of the instance
            section.new_rows = with_ids(section.new_rows)
        section.write()
        if not stored:  # the school had no results: now exactly these (their digest needs no reading back)
            plan.written[TestResult] = section.new_rows

    plan.apply = apply
    return plan


FIELDS = ("pupil_id", "assessment_id", "school_year_id", "moment", "taken_on", "score", "ability_score", "level")
COMPARED = ("taken_on", "score", "ability_score", "level")


def _stored(school, years, compared):
    """The school's stored results: {(pupil id, test id, school year, moment): (id, (compared values…))}."""
    year_of = {y.pk: y.start_year for y in years.values()}
    fields = ["id", "pupil_id", "assessment_id", "school_year_id", "moment", *compared]
    return {
        (row[1], row[2], year_of[row[3]], row[4]): (row[0], row[5:])
        for row in stored_rows(TestResult.objects.filter(pupil__school=school), *fields)
    }


def results_state(school, _scope):
    """What a results file reads and writes for a school (imports.fingerprints)."""
    return [
        ByValue(TestResult.objects.filter(pupil__school=school), FIELDS),
        (Assessment.objects.all(), None),
        (SchoolYear.objects.all(), ["id", "start_year"]),
        (Pupil.objects.filter(school=school), PUPIL_STATE),
    ]
