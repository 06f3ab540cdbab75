"""The absences CSV (docs/imports.md): one row per pupil, day and part of day; upserted on exactly that."""

from functools import partial

from django.utils.translation import gettext as _

from ouderportaal.absences.models import EXCUSED_BY_DEFAULT, Absence, Reason
from ouderportaal.imports.csvsource import PUPIL_STATE, as_choice, find_pupil, pupils_by_key, rows, simplify
from ouderportaal.imports.reading import parse_bool, parse_date, parse_int
from ouderportaal.imports.upsert import Plan, ProblemLog, Section, stored_rows
from ouderportaal.school.models import Pupil

COLUMNS = {
    "leerling_key": ["leerlingnummer", "leerling_id", "leerling"],
    "achternaam": [],
    "roepnaam": [],
    "datum": ["absentiedatum", "dag"],
    "dagdeel": ["deel_van_de_dag", "tijdvak"],
    "reden": ["absentiereden", "verzuimreden", "soort"],
    "geoorloofd": ["excused"],
    "minuten_te_laat": ["minuten", "minuten_laat"],
    "opmerking": ["toelichting", "notitie"],
}
REQUIRED = ["leerling_key", "datum", "reden"]
# A row: its key (pupil, day, part of the day), then what is compared with the stored row.
FIELDS = ("pupil_id", "date", "part_of_day", "reason", "excused", "minutes_late", "note")

PARTS = {
    simplify(k): v
    for k, v in {
        "ochtend": Absence.PartOfDay.MORNING,
        "o": Absence.PartOfDay.MORNING,
        "morgen": Absence.PartOfDay.MORNING,
        "middag": Absence.PartOfDay.AFTERNOON,
        "m": Absence.PartOfDay.AFTERNOON,
        "dag": Absence.PartOfDay.WHOLE_DAY,
        "hele dag": Absence.PartOfDay.WHOLE_DAY,
        "h": Absence.PartOfDay.WHOLE_DAY,
        "te laat": Absence.PartOfDay.LATE,
    }.items()
}
REASONS = {simplify(value): value for value in Reason.values}
REASONS.update({simplify(str(label)): value for value, label in Reason.choices})
REASONS.update(
    {
        simplify(k): v
        for k, v in {
            "ziekte": Reason.ILLNESS,
            "arts": Reason.MEDICAL,
            "tandarts": Reason.MEDICAL,
            "therapie": Reason.MEDICAL,
            "laat": Reason.LATE,
            "verlof": Reason.LEAVE_CIRCUMSTANCES,
            "gewichtige omstandigheden": Reason.LEAVE_CIRCUMSTANCES,
            "beroep ouders": Reason.LEAVE_PARENTS_WORK,
            "religieus": Reason.RELIGIOUS,
            "luxe verzuim": Reason.LUXURY,
        }.items()
    }
)

as_reason = partial(as_choice, choices=REASONS)
as_part = partial(as_choice, choices=PARTS)
as_minutes = partial(parse_int, low=1, high=240)


def prepare_absences(fileobj, *, school, progress=None, **_options):
    problems = ProblemLog()
    pupils = pupils_by_key(school, keys_only=True)
    parsed, seen = [], {}
    for row in rows(fileobj, COLUMNS, REQUIRED, problems, progress=progress):
        pupil = find_pupil(row, pupils)
        day = row.take("datum", parse_date, required=True)
        reason = row.take("reden", as_reason, required=True)
        part = row.take("dagdeel", as_part)
        if part is None and row.ok:
            part = Absence.PartOfDay.LATE if reason == Reason.LATE else Absence.PartOfDay.WHOLE_DAY
        minutes = row.take("minuten_te_laat", as_minutes)
        if part == Absence.PartOfDay.LATE and minutes is None and row.ok:
            row.fail("minuten_te_laat", "", _("bij te laat hoort het aantal minuten"))
        excused = row.take("geoorloofd", parse_bool, default=None) if row.raw("geoorloofd") else None
        note = row.take("opmerking", max_length=500)
        if not row.ok:
            continue
        key = (pupil.pk, day, part)
        if key in seen:
            row.fail(
                "datum",
                row.raw("datum"),
                _("deze leerling, dag en dagdeel staan al op regel %(line)s") % {"line": seen[key]},
            )
            continue
        seen[key] = row.line
        excused = EXCUSED_BY_DEFAULT[reason] if excused is None else excused
        parsed.append((pupil.pk, day, part, reason, excused, minutes, note or ""))  # FIELDS

    plan = Plan(rows=len(seen), problems=problems)
    section = Section(_("absenties"), Absence, fields=FIELDS, compared=FIELDS[3:])
    plan.sections = [section]
    if parsed:
        days = [p[1] for p in parsed]
        stored = {
            row[1:4]: (row[0], row[4:])
            for row in stored_rows(
                Absence.objects.filter(pupil__school=school, date__range=(min(days), max(days))), "id", *FIELDS
            )
        }
        by_id = {pupil.pk: pupil for pupil in pupils.values()}

        def describe(row):
            return f"{by_id[row[0]]} {row[1]:%d-%m-%Y} {Absence.PartOfDay(row[2]).label}"

        for row in parsed:
            section.compare_row(stored.get(row[:3]) if stored else None, row, describe=describe)
    plan.apply = section.write
    return plan


def absences_state(school, _scope):
    """What an absences file reads and writes for a school (imports.fingerprints)."""
    return [(Absence.objects.filter(pupil__school=school), None), (Pupil.objects.filter(school=school), PUPIL_STATE)]
