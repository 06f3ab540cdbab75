"""What an EDEX file changes at its school: school year, groups, teachers, pupils, group places, leavers.

Everything is upserted on the file's `key` attributes, never on names. A pupil the file no longer lists is only
reported; it is written off as left when the file gives an `uitstroomdatum` or staff tick "mark as left".
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.nl import bsn as bsn_number
from stdnum.nl import onderwijsnummer

from ouderportaal.imports.edex import parse_edex, parse_school_year
from ouderportaal.imports.reading import BadValue, Problem, Refused, parse_date
from ouderportaal.imports.upsert import Plan, ProblemLog, Section
from ouderportaal.school.models import CompositeGroup, Enrolment, Group, Pupil, School, SchoolYear, Teacher

GENDERS = {"0": "0", "1": "1", "2": "2", "9": "9", "?": "0", "": "0"}
LEVELS = set("12345678")


def find_school(brin, dependance=""):
    brin = brin.strip().upper()
    candidates = [brin + dependance.strip(), brin, brin + "00"]
    school = School.objects.filter(brin__in=candidates).first()
    if school is None:
        raise Refused(
            _("Er staat geen school met BRIN %(brin)s in het portaal. Een beheerder legt de school eerst aan.")
            % {"brin": brin}
        )
    return school


def _name(record):
    return " ".join(p for p in (record.get("roepnaam"), record.get("voorvoegsel"), record.get("achternaam")) if p)


def prepare_edex(fileobj, *, school=None, mark_missing_left=False, today=None, progress=None):
    today = today or timezone.localdate()
    data = parse_edex(fileobj, progress=progress)
    problems = ProblemLog()

    def error(record_line, column, value, message, warning=False):
        problems.append(Problem(record_line, column, value, message, warning))

    brin = data.school.get("brincode", "")
    if school is None:
        if not brin:
            raise Refused(_("Dit EDEX-bestand noemt geen BRIN-code; kies de school bij het importeren."))
        school = find_school(brin, data.school.get("dependancecode", ""))
    elif brin and not school.brin.upper().startswith(brin.strip().upper()):
        raise Refused(
            _("Dit bestand is van de school met BRIN %(brin)s, niet van %(school)s (%(own)s).")
            % {"brin": brin, "school": school.name, "own": school.brin}
        )
    start_year = parse_school_year(data.school.get("schooljaar", ""))
    if start_year is None:
        raise Refused(
            _("Het schooljaar %(year)r in <school> is geen schooljaar als 2025-2026.")
            % {"year": data.school.get("schooljaar", "")}
        )
    school_year = SchoolYear.objects.filter(start_year=start_year).first() or SchoolYear(start_year=start_year)

    # Groups: their year levels come from the pupils in them (a combination group says only "C").
    seen = {}
    groups = {}
    for record in data.groups:
        if not record.key:
            error(record.line, "groep key", "", _("een groep zonder sleutel (key)"))
            continue
        if record.key in seen:
            error(
                record.line,
                "groep key",
                record.key,
                _("deze sleutel staat al op regel %(line)s") % {"line": seen[record.key]},
            )
            continue
        seen[record.key] = record.line
        if not record.get("naam"):
            error(record.line, "naam", "", _("de groep heeft geen naam"))
            continue
        groups[record.key] = {"record": record, "levels": set()}
    names = {}
    for key, entry in groups.items():
        name = entry["record"].get("naam")[:50]
        if name in names:
            error(entry["record"].line, "naam", name, _("twee groepen met dezelfde naam in één schooljaar"))
        names[name] = key

    # Pupils.
    pupils = []
    pupil_keys = {}
    for record in data.pupils:
        row = _check_pupil(record, error, pupil_keys)
        if row is None:
            continue
        group_key = (record.refs.get("groep") or [""])[0]
        if group_key and group_key not in groups:
            if group_key not in seen:
                error(
                    record.lines.get("groep", record.line),
                    "groep key",
                    group_key,
                    _("deze groep staat niet in het bestand"),
                )
            group_key = ""
        row["group_key"] = group_key
        row["composite_keys"] = record.refs.get("samengestelde_groep", [])
        if group_key and row["level"]:
            groups[group_key]["levels"].add(row["level"])
        pupils.append(row)

    for entry in groups.values():
        own = entry["record"].get("jaargroep")
        if not entry["levels"] and own in LEVELS:
            entry["levels"].add(int(own))
        if not entry["levels"]:
            error(
                entry["record"].line,
                "jaargroep",
                own,
                _("groep %(name)s heeft geen jaargroep 1 t/m 8 (peuters of speciaal onderwijs): overgeslagen")
                % {"name": entry["record"].get("naam")},
                warning=True,
            )
        entry["year_levels"] = "/".join(str(level) for level in sorted(entry["levels"]))

    plan = Plan(rows=len(data.pupils) + len(data.groups) + len(data.teachers))
    plan.problems = problems
    # Compare with what is stored.
    stored_groups = {g.source_key: g for g in Group.objects.filter(school=school, school_year__start_year=start_year)}
    group_section = Section(_("groepen"), Group)
    group_objects = {}
    for key, entry in groups.items():
        if not entry["year_levels"]:
            continue
        values = {
            "school": school,
            "school_year": school_year,
            "source_key": key,
            "name": entry["record"].get("naam")[:50],
            "year_levels": entry["year_levels"],
        }
        group_objects[key] = group_section.compare(stored_groups.get(key), values, describe=lambda g: g.name)

    stored_teachers = {t.source_key: t for t in Teacher.objects.filter(school=school).exclude(source_key="")}
    teacher_section = Section(_("leerkrachten"), Teacher)
    teacher_objects = {}
    pairs = set()
    for record in data.teachers:
        if not record.key or record.key in teacher_objects:
            error(record.line, "leerkracht key", record.key, _("een leerkracht zonder sleutel, of een dubbele sleutel"))
            continue
        values = {
            "school": school,
            "source_key": record.key,
            "first_name": (record.get("roepnaam") or record.get("voorletters-1"))[:100],
            "voorvoegsel": record.get("voorvoegsel")[:20],
            "surname": record.get("achternaam")[:100],
        }
        if record.get("emailadres"):
            values["email"] = record.get("emailadres")[:254]
        teacher_objects[record.key] = teacher_section.compare(stored_teachers.get(record.key), values)
        pairs.update(
            (group_key, record.key) for group_key in record.refs.get("groep", []) if group_key in group_objects
        )

    stored_pupils = {p.source_key: p for p in Pupil.objects.filter(school=school).exclude(source_key="")}
    pupil_section = Section(_("leerlingen"), Pupil)
    enrolment_section = Section(_("groepsplaatsingen"), Enrolment)
    stored_enrolments = {
        e.pupil_id: e for e in Enrolment.objects.filter(pupil__school=school, school_year__start_year=start_year)
    }
    pupil_objects = {}
    for row in pupils:
        values = row["values"]
        values["school"] = school
        stored = stored_pupils.get(row["key"])
        if stored is None:
            values.setdefault("enrolled_on", max(school_year.starts_on, values["birth_date"]))
        pupil = pupil_objects[row["key"]] = pupil_section.compare(stored, values)
        group = group_objects.get(row["group_key"])
        if group is None or values.get("left_on") and values["left_on"] < school_year.starts_on:
            continue
        level = row["level"] or min(groups[row["group_key"]]["levels"])
        if not row["level"]:
            error(
                row["line"],
                "jaargroep",
                "",
                _("%(name)s heeft geen jaargroep; de jaargroep van de groep (%(level)s) is aangenomen")
                % {"name": row["name"], "level": level},
                warning=True,
            )
        enrolment_values = {"pupil": pupil, "group": group, "school_year": school_year, "year_level": level}
        enrolment_section.compare(
            stored_enrolments.get(pupil.pk) if pupil.pk else None,
            enrolment_values,
            describe=lambda e: f"{e.pupil} → {e.group.name}",
        )

    listed = {row["key"] for row in pupils}
    pupil_section.missing = sorted(
        (p for key, p in stored_pupils.items() if key not in listed and (p.left_on is None or p.left_on > today)),
        key=lambda p: (p.surname, p.roepnaam),
    )
    left_on = (
        today
        if school_year.starts_on <= today <= school_year.ends_on
        else school_year.starts_on - datetime.timedelta(days=1)
    )

    linked = Group.teachers.through.objects.filter(group__school=school, group__school_year__start_year=start_year)
    stored_pairs = {pair for pair in linked.values_list("group__source_key", "teacher__source_key") if pair[1]}
    pair_section = Section(_("leerkracht bij groep"), Group.teachers.through)
    pair_section.unchanged = len(pairs & stored_pairs)
    new_pairs, old_pairs = pairs - stored_pairs, {p for p in stored_pairs - pairs if p[0] in group_objects}

    def pair_name(pair):
        return f"{teacher_objects[pair[1]]} → {groups[pair[0]]['record'].get('naam')}"

    pair_section.samples_new = [pair_name(pair) for pair in sorted(new_pairs)[:5]]

    composites = _composite_groups(data, school, school_year, start_year, pupils, pupil_objects, error)
    plan.sections = [group_section, teacher_section, pupil_section, enrolment_section, pair_section, *composites[:2]]
    plan.school = school
    plan.pair_counts = (len(new_pairs), len(old_pairs))

    def apply():
        if school_year.pk is None:
            school_year.save()
        for section in (group_section, teacher_section, pupil_section, enrolment_section):
            section.write()
        if mark_missing_left and pupil_section.missing:
            Pupil.objects.filter(pk__in=[p.pk for p in pupil_section.missing]).update(left_on=left_on)
        through = Group.teachers.through
        for group_key, teacher_key in old_pairs:
            teacher = teacher_objects.get(teacher_key) or stored_teachers[teacher_key]
            through.objects.filter(group=group_objects[group_key], teacher=teacher).delete()
        through.objects.bulk_create(
            [through(group=group_objects[g], teacher=teacher_objects[t]) for g, t in sorted(new_pairs)]
        )
        composites[2]()

    plan.apply = apply
    # New and removed teacher links show as new/changed.
    pair_section.new = sorted(new_pairs)
    pair_section.changed = sorted(old_pairs)
    pair_section.write = lambda: None
    return plan


def _composite_groups(data, school, school_year, start_year, pupils, pupil_objects, error):
    """Samengestelde groepen (upserted on their key per school year) and who is in them. A membership the file no
    longer lists is removed for the groups it does list; the groups themselves are never deleted."""
    names = {}
    for record in data.combined_groups:
        if not record.key or record.key in names or not record.get("naam"):
            error(record.line, "samengestelde_groep", record.key, _("een samengestelde groep zonder sleutel of naam, "
                                                                   "of met een dubbele sleutel"))  # fmt: skip
            continue
        names[record.key] = record.get("naam")[:50]
    section = Section(_("samengestelde groepen"), CompositeGroup)
    stored = {c.source_key: c for c in CompositeGroup.objects.filter(school=school, school_year__start_year=start_year)}
    objects = {
        key: section.compare(
            stored.get(key),
            {"school": school, "school_year": school_year, "source_key": key, "name": name},
            describe=lambda c: c.name,
        )
        for key, name in names.items()
    }
    wanted = set()
    for row in pupils:
        left_on = row["values"].get("left_on")
        if left_on and left_on < school_year.starts_on:
            continue
        for key in row["composite_keys"]:
            if key in objects:
                wanted.add((key, row["key"]))
            else:
                error(row["line"], "samengestelde_groep key", key, _("deze samengestelde groep staat niet in het "
                                                                    "bestand; overgeslagen"), warning=True)  # fmt: skip
    through = CompositeGroup.pupils.through
    linked = through.objects.filter(compositegroup__school=school, compositegroup__school_year__start_year=start_year)
    have = set(linked.values_list("compositegroup__source_key", "pupil__source_key"))
    new, gone = sorted(wanted - have), sorted(pair for pair in have - wanted if pair[0] in objects)
    members = Section(_("leden samengestelde groepen"), through)
    members.unchanged, members.new, members.changed = len(wanted & have), new, gone
    members.samples_new = [f"{pupil_objects[p]} → {names[c]}" for c, p in new[:5]]
    members.samples_changed = [f"{p} ✕ {names[c]}" for c, p in gone[:5]]

    def apply():
        section.write()
        for key, pupil_key in gone:
            through.objects.filter(
                compositegroup=objects[key], pupil__source_key=pupil_key, pupil__school=school
            ).delete()
        through.objects.bulk_create([through(compositegroup=objects[c], pupil=pupil_objects[p]) for c, p in new])

    members.write = lambda: None
    return section, members, apply


def _check_pupil(record, error, keys):
    if not record.key:
        error(record.line, "leerling key", "", _("een leerling zonder sleutel (key)"))
        return None
    if record.key in keys:
        error(
            record.line,
            "leerling key",
            record.key,
            _("deze sleutel staat al op regel %(line)s") % {"line": keys[record.key]},
        )
        return None
    keys[record.key] = record.line
    name = _name(record) or record.key
    ok = True
    values = {"source_key": record.key}
    surname, roepnaam = record.get("achternaam"), record.get("roepnaam")
    first_names = record.get("voornamen") or roepnaam
    if not surname and not roepnaam:
        error(record.line, "achternaam", "", _("een leerling heeft ten minste een achternaam of roepnaam"))
        ok = False
    values.update(
        surname=surname[:100],
        roepnaam=(roepnaam or first_names.split(" ")[0])[:100],
        first_names=(first_names or roepnaam)[:200],
        voorvoegsel=" ".join(record.get("voorvoegsel").split())[:20],
    )
    for column, target, required in (
        ("geboortedatum", "birth_date", True),
        ("instroomdatum", "enrolled_on", False),
        ("uitstroomdatum", "left_on", False),
    ):
        text = record.get(column)
        if not text:
            if required:
                error(record.line, column, "", _("%(name)s: de geboortedatum ontbreekt") % {"name": name})
                ok = False
            elif target == "left_on":
                values["left_on"] = None
            continue
        try:
            values[target] = parse_date(text)
        except BadValue as problem:
            error(record.lines.get(column, record.line), column, text, str(problem))
            ok = False
    gender = record.get("geslacht")
    values["gender"] = GENDERS.get(gender, "0")
    if gender not in GENDERS:
        error(
            record.lines.get("geslacht", record.line),
            "geslacht",
            gender,
            _("onbekende code; opgeslagen als onbekend"),
            warning=True,
        )
    for column, checker in (("bsn", bsn_number), ("onderwijsnummer", onderwijsnummer)):
        number = record.get(column).replace(".", "").replace(" ", "")
        if number and checker.is_valid(number):
            values[column] = number
        elif number:
            error(
                record.lines.get(column, record.line),
                column,
                number,
                _("voldoet niet aan de elfproef; niet opgeslagen"),
                warning=True,
            )
    level_text = record.get("jaargroep")
    level = int(level_text) if level_text in LEVELS else None
    if level_text and level is None and level_text != "?":
        error(
            record.lines.get("jaargroep", record.line),
            "jaargroep",
            level_text,
            _("geen jaargroep 1 t/m 8"),
            warning=True,
        )
    if not ok:
        return None
    return {"key": record.key, "line": record.line, "name": name, "values": values, "level": level}
