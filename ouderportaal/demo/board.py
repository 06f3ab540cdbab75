"""Board-scale data: many schools as their administrations export them, imported through the pipeline.

`generate()` writes per school the EDEX file of each school year, a families CSV, a results CSV and an absences CSV
(plain generated names, no Faker: 10,000 pupils in seconds). `seed_demo --scale board` builds the ordinary demo
(two schools, the demo logins) and then `add_board_scale()` adds schools until the board holds the scale's numbers,
imports their files with `import_file`, gives every guardian a login, all sharing ONE password hash (one Argon2
run instead of 15,000), and their families a history of proposed changes (changes/demo.py). bench/imports.py uses the
same generator with its defaults (one year, five absences).
"""

import datetime
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from stdnum.nl import bsn

from ouderportaal.accounts.models import User
from ouderportaal.changes.demo import add_change_history
from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.services import import_file
from ouderportaal.school.models import Guardian, School

BENCH_SUBJECTS = [(s, f"{s} (LiB)") for s in ["Rekenen-Wiskunde", "Spelling", "Begrijpend lezen", "Technisch lezen",
                                              "Woordenschat"]]  # fmt: skip
# The demo's Cito tests (catalogue.CITO_SUBJECTS, Leerling in beeld) and the other tests a school's LVS holds.
BOARD_SUBJECTS = [
    ("Rekenen-Wiskunde", "Rekenen-Wiskunde (Leerling in beeld)"),
    ("Spelling", "Spelling (Leerling in beeld)"),
    ("Begrijpend lezen", "Begrijpend lezen (Leerling in beeld)"),
    ("Technisch lezen", "Technisch lezen DMT (Leerling in beeld)"),
    ("Woordenschat", "Woordenschat (Leerling in beeld)"),
    ("Spelling", "Spelling werkwoorden (Leerling in beeld)"),
    ("Rekenen-Wiskunde", "Rekenen basisvaardigheden (Leerling in beeld)"),
    ("Studievaardigheden", "Studievaardigheden (Leerling in beeld)"),
    ("Technisch lezen", "AVI (Leerling in beeld)"),
    ("Begrijpend lezen", "Leestempo (Leerling in beeld)"),
]
LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
PASSWORD = "ouder-demo"  # the demo parents' password (catalogue.DEMO_LOGINS), for every board-scale parent too


@dataclass(frozen=True)
class Scale:
    """What `add_board_scale` adds to the demo board: schools × pupils per school, three school years."""

    schools: int
    pupils_per_school: int
    years: int = 3
    absences_per_year: int = 6


# The demo's two schools hold about 400 pupils: 28 more schools of 343 make a board of 30 schools and ~10,000.
SCALES = {"board": Scale(schools=28, pupils_per_school=343), "small": Scale(schools=2, pupils_per_school=24)}


def brins(count, first=10):
    return [f"{first + i:02d}{LETTERS[i % 21]}{LETTERS[(i * 7) % 21]}" for i in range(count)]


def username_for(guardian_key):
    return f"ouder-{guardian_key.lower()}"


def generate(directory, schools, pupils_total, results_total, rng, *, start_year=2025, years=1, today=None,
             absences_per_year=None, subjects=BENCH_SUBJECTS, families="bench"):  # fmt: skip
    """Files per school, like an administration exports them. Returns [(brin, source, path)] in import order.

    The defaults are bench/imports.py's file set (one school year, 2025-2026, five absences a pupil). With
    `years` > 1 every school gets an EDEX file per year (oldest first); results then follow each pupil's history up
    to `today`, and absences fall on weekdays of each year the pupil attended.
    """
    today = today or datetime.date(start_year + 1, 7, 1)
    files = []
    per_school = pupils_total // len(schools)
    results_per_pupil = results_total // pupils_total
    moments = [(f"{m}{level}", level) for level in range(3, 9) for m in "ME"]
    guardian_no = 0
    for index, brin in enumerate(schools):
        keys = [f"{index + 1:02d}{n:05d}" for n in range(per_school)]
        levels = [1 + n * 8 // per_school for n in range(per_school)]
        bsns = []
        for _n in keys:
            number = f"{rng.randint(100000000, 999999999)}"
            bsns.append(number if bsn.is_valid(number) else "")
        for year in range(start_year - years + 1, start_year + 1):
            path = directory / f"{brin}-edex-{year}.xml"
            path.write_text(_edex(brin, year, start_year, keys, levels, bsns), encoding="utf-8")
            files.append((brin, "edex", path))

        # Families: two guardians each. The bench: households of one or two children (13,320 guardians for 9,990
        # pupils); the board: one, one, two children in turn (3 guardians for every 2 pupils).
        rows = ["leerling_key;ouder_key;voornaam;achternaam;relatie;hoofdverzorger;email;telefoon;telefoon_nood;"
                "gezin_key;straat;postcode;plaats;huisarts;huisarts_praktijk"]  # fmt: skip
        n = family_no = 0
        while n < len(keys):
            if families == "bench":
                size = 2 if (n // 3) % 2 == 0 and n + 1 < len(keys) else 1
            else:
                size = 2 if family_no % 3 == 2 and n + 1 < len(keys) else 1
            family_no += 1
            children, n = keys[n : n + size], n + size
            family = []
            for relation in ("moeder", "vader"):
                guardian_no += 1
                family.append((f"V{guardian_no:06d}", relation))
            for child in children:
                for position, (guardian, relation) in enumerate(family):
                    rows.append(
                        f"{child};{guardian};Ouder;Achternaam{guardian};{relation};{'ja' if position == 0 else 'nee'};"
                        f"{guardian.lower()}@example.com;06 1{guardian_no % 10000000:07d};ja;H{family[0][0]};"
                        f"Dorpsstraat {guardian_no % 200 + 1};3811 AB;Amersfoort;Dr. Huisarts{index};Praktijk{index}"
                    )
        path = directory / f"{brin}-families.csv"
        path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
        files.append((brin, "families", path))

        rows = ["leerling_key;leergebied;toets;toetsmoment;afnamedatum;vaardigheidsscore;niveau_iv"]
        for key, level in zip(keys, levels, strict=True):
            if years == 1:
                for r in range(results_per_pupil):
                    subject, name = subjects[r % len(subjects)]
                    moment, moment_level = moments[(r // len(subjects)) % len(moments)]
                    year = start_year - (level - moment_level) if level >= moment_level else start_year - r // 60
                    month = "01" if moment[0] == "M" else "06"
                    rows.append(
                        f"{key};{subject};{name};{moment};1{r % 9}-{month}-{year + 1};"
                        f"{100 + r % 80},{r % 10};{['I', 'II', 'III', 'IV', 'V'][r % 5]}"
                    )
                continue
            r = 0
            for moment, moment_level in moments:  # the pupil's history, from M3 up to the tests already taken
                if moment_level > level:
                    break
                taken_on = datetime.date(start_year - (level - moment_level) + 1, 1 if moment[0] == "M" else 6, 15)
                if taken_on > today:
                    break
                for subject, name in subjects:
                    r += 1
                    rows.append(
                        f"{key};{subject};{name};{moment};{taken_on:%d-%m-%Y};"
                        f"{100 + r % 80},{r % 10};{['I', 'II', 'III', 'IV', 'V'][(r + level) % 5]}"
                    )
        path = directory / f"{brin}-results.csv"
        path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
        files.append((brin, "results", path))

        rows = ["leerling_key;datum;dagdeel;reden;minuten_te_laat"]
        for key, level in zip(keys, levels, strict=True):
            if absences_per_year is None:
                for day in range(5):
                    rows.append(
                        f"{key};{10 + day}-11-{start_year};ochtend;ziek;" if day < 4
                        else f"{key};14-11-{start_year};;te laat;10"
                    )  # fmt: skip
                continue
            for back in range(years):
                if level - back < 1:
                    break
                for day in _school_days(rng, start_year - back, absences_per_year, today):
                    late = rng.random() < 0.2
                    rows.append(f"{key};{day:%d-%m-%Y};;te laat;{rng.randint(5, 30)}" if late
                                else f"{key};{day:%d-%m-%Y};{rng.choice(['ochtend', 'middag'])};ziek;")  # fmt: skip
        path = directory / f"{brin}-absences.csv"
        path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
        files.append((brin, "absences", path))
    return files


def _edex(brin, year, start_year, keys, levels, bsns):
    """The EDEX file of `year`: pupils one year level lower per year back; those not yet at school are left out."""
    back = start_year - year
    out = [f'<?xml version="1.0" encoding="UTF-8"?><EDEX><school><schooljaar>{year}-{year + 1}</schooljaar>'
           f"<brincode>{brin}</brincode></school><groepen>"]  # fmt: skip
    for level in range(1, 9):
        for part in "AB":
            out.append(f'<groep key="G{year}-{level}{part}"><naam>Groep {level}{part}</naam>'
                       f"<jaargroep>{level}</jaargroep></groep>")  # fmt: skip
    out.append("</groepen><leerlingen>")
    for n, (key, level) in enumerate(zip(keys, levels, strict=True)):
        then = level - back
        if then < 1:
            continue
        birth = start_year - 4 - level
        out.append(
            f'<leerling key="{key}"><achternaam>Achternaam{n}</achternaam><voornamen>Kind {n}</voornamen>'
            f"<roepnaam>Kind{n}</roepnaam><geboortedatum>{birth}-0{1 + n % 9}-1{n % 10}</geboortedatum>"
            f'<geslacht>{1 + n % 2}</geslacht><jaargroep>{then}</jaargroep><groep key="G{year}-{then}{"AB"[n % 2]}"/>'
            f"{'<bsn>' + bsns[n] + '</bsn>' if bsns[n] else ''}"
            f"<instroomdatum>{start_year - level + 1}-09-01</instroomdatum></leerling>"
        )
    out.append("</leerlingen><leerkrachten>")
    for level in range(1, 9):
        refs = f'<groep key="G{year}-{level}A"/><groep key="G{year}-{level}B"/>'
        out.append(f'<leerkracht key="T{level}"><achternaam>Juf{level}</achternaam><roepnaam>Anna</roepnaam>'
                   f"<groepen>{refs}</groepen></leerkracht>")  # fmt: skip
    out.append("</leerkrachten></EDEX>")
    return "".join(out)


def _school_days(rng, year, count, today):
    """`count` distinct weekdays of school year `year` (Sept–June, holidays aside), none after today."""
    first, last = datetime.date(year, 9, 8), min(datetime.date(year + 1, 6, 30), today)
    if last < first:
        return []
    days = set()
    span = (last - first).days
    for _ in range(count * 4):
        day = first + datetime.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5 and not (day.month == 12 and day.day > 19) and not (day.month == 1 and day.day < 5):
            days.add(day)
        if len(days) == count:
            break
    return sorted(days)


def add_board_scale(board, scale, *, today, start_year, seed=14):
    """Add `scale.schools` schools to `board` with their pupils, families, results and absences (through the import
    pipeline), and a login for every guardian of the new schools. Returns the number of logins made."""
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    codes = brins(scale.schools)
    schools = {}
    for n, brin in enumerate(codes, 1):
        schools[brin] = School.objects.create(
            board=board, name=f"Basisschool {n}", brin=brin, street=f"Schoolstraat {n}", postcode="3811 AB",
            city="Amersfoort", phone="033 123 4567", email=f"info@school{n}.example",
            admin_email=f"administratie@school{n}.example",
        )  # fmt: skip
    pupils = scale.schools * scale.pupils_per_school
    with tempfile.TemporaryDirectory(prefix="ouderportaal-board-") as directory:
        files = generate(Path(directory), codes, pupils, 0, rng, start_year=start_year, years=scale.years,
                         today=today, absences_per_year=scale.absences_per_year, subjects=BOARD_SUBJECTS,
                         families="board")  # fmt: skip
        for brin, source, path in files:
            with open(path, "rb") as fileobj:
                run = import_file(source=source, fileobj=fileobj, file_name=path.name, school=schools[brin])
            if run.status != ImportRun.Status.APPLIED:
                raise RuntimeError(f"{path.name}: {run.status} {run.message} {run.errors[:3]}")
    guardians = Guardian.objects.filter(board=board, source_key__regex=r"^V\d{6}$")
    logins = add_logins(guardians.filter(user__isnull=True))
    administration = User.objects.filter(staff_roles__school__board=board).order_by("pk").first()
    add_change_history(guardians, rng=rng, today=today, decided_by=administration)
    return logins


def add_logins(guardians, password=PASSWORD):
    """A login per guardian (username ouder-v000123), all with one precomputed hash of the demo password."""
    hashed = make_password(password)
    guardians = list(guardians.order_by("pk"))
    users = User.objects.bulk_create(
        [User(username=username_for(g.source_key), first_name=g.first_name, last_name=g.surname,
              email=f"{g.source_key.lower()}@example.com", password=hashed) for g in guardians],
        batch_size=2000,
    )  # fmt: skip
    for guardian, user in zip(guardians, users, strict=True):
        guardian.user = user
    Guardian.objects.bulk_update(guardians, ["user"], batch_size=2000)
    return len(users)
