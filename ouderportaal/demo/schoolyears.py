"""Three school years of the demo: groups and teachers, absences, test results."""

import datetime
import math
from decimal import Decimal

from ouderportaal.absences.models import EXCUSED_BY_DEFAULT, Absence, Reason
from ouderportaal.demo.catalogue import (
    ADULT_FEMALE,
    ADULT_MALE,
    AE_BANDS,
    CITO_PRODUCTS,
    CITO_SUBJECTS,
    DUTCH_SURNAMES,
    IV_BANDS,
    METHOD_TEST,
    RELIGIOUS_HOLIDAY_NOTES,
    SCHOOL_SPECS,
    assessment_specs,
)
from ouderportaal.demo.generators import _phi, _poisson, add_years, normalise  # noqa: F401
from ouderportaal.results.models import Assessment, TestResult
from ouderportaal.school.models import (
    Enrolment,
    Group,
    Teacher,
)


class SchoolYears:
    def level_in(self, child, year):
        """The child's year level in a school year, or None when not at this school then."""
        level = child.cohort - (self.current - year)
        if level > 8 or child.pupil.enrolled_on > self.calendar(child.school_index).last_school_day(year):
            return None
        return max(level, 1)

    def make_teacher(self, school_index, number):
        spec = SCHOOL_SPECS[school_index]
        female = self.rng.random() < 0.8
        first = self.rng.choice(ADULT_FEMALE if female else ADULT_MALE)
        vv, sn = self.rng.choice(DUTCH_SURNAMES)
        teacher = Teacher(
            school=self.schools[school_index],
            source_key=f"LK{number:03d}",
            first_name=first,
            voorvoegsel=vv,
            surname=sn,
            email=f"{normalise(first)[0]}.{normalise(vv + sn)}@{spec['domain']}",
        )
        self.out[Teacher].append(teacher)
        return teacher

    def make_groups_and_enrolments(self):
        groups, group_teachers, enrolments = [], [], []
        self.group_of = {}  # (pupil index, year) → Group
        for school_index, spec in enumerate(SCHOOL_SPECS):
            school = self.schools[school_index]
            teachers_by_name = {}
            count = 0

            def teachers_for(name, school_index=school_index, teachers_by_name=teachers_by_name):
                nonlocal count
                if name not in teachers_by_name:
                    size = 2 if self.rng.random() < 0.4 else 1
                    teachers_by_name[name] = []
                    for _ in range(size):
                        count += 1
                        teachers_by_name[name].append(self.make_teacher(school_index, count))
                return teachers_by_name[name]

            children = [c for c in self.children[school_index]]
            for year in reversed(self.years):  # current year first: its groups are fixed, history follows
                school_year = self.school_years[year]
                present = [(c, self.level_in(c, year)) for c in children]
                present = [(c, level) for c, level in present if level is not None]
                if year == self.current:
                    layout = [
                        (name, levels, [c for c, _ in present if c.group_name == name])
                        for name, levels in spec["groups"]
                    ]
                else:
                    layout = self.history_layout(spec, present)
                for index, (name, levels, members) in enumerate(layout):
                    year_levels = "/".join(str(level) for level in sorted(levels))
                    group = Group(
                        school=school,
                        school_year=school_year,
                        source_key=f"G{year}-{index + 1:02d}",
                        name=name,
                        year_levels=year_levels,
                    )
                    groups.append(group)
                    group_teachers.extend((group, teacher) for teacher in teachers_for(name))
                    for child in members:
                        level = self.level_in(child, year)
                        enrolments.append(
                            Enrolment(pupil=child.pupil, group=group, school_year=school_year, year_level=level)
                        )
                        self.group_of[(id(child), year)] = group
        self.groups = groups
        self.group_teachers = group_teachers
        self.enrolments = enrolments

    def history_layout(self, spec, present):
        """Groups of an earlier year: one per year level from 3 up, the kleuters split over 1/2 groups."""
        order = {name: i for i, (name, _) in enumerate(spec["groups"])}
        present = sorted(present, key=lambda item: (order.get(item[0].group_name, 99), item[0].birth_date))
        kleuters = [(c, level) for c, level in present if level <= 2]
        layout = []
        if kleuters:
            n = max(1, min(len(spec["kleuter_names"]), round(len(kleuters) / 24)))
            buckets = [[] for _ in range(n)]
            for level in (1, 2):
                same = [c for c, lv in kleuters if lv == level]
                for i, child in enumerate(same):
                    buckets[i % n].append(child)
            layout += [(spec["kleuter_names"][i], {1, 2}, bucket) for i, bucket in enumerate(buckets)]
        for level in range(3, 9):
            members = [c for c, lv in present if lv == level]
            if members:
                layout.append((f"Groep {level}", {level}, members))
        return layout

    # --- absences ----------------------------------------------------------------------------------------------

    def make_absences(self):
        rng = self.rng
        rows = []
        suspended = set()
        for school_index in range(len(SCHOOL_SPECS)):
            candidates = [c for c in self.children[school_index] if c.cohort in (8, 9) and not c.scripted]
            suspended.add(id(rng.choice(candidates)))
        for school_index in range(len(SCHOOL_SPECS)):
            for child in self.children[school_index]:
                sickly = rng.choice([0.3, 0.6, 1.0, 1.0, 1.5, 2.5])
                lateness = self.weighted([(0.5, 85), (2.0, 12), (8.0, 3)])
                if child.scripted:  # the demo families' children: an ordinary year, not the extremes
                    sickly, lateness = 1.0, 0.5
                for year in self.years:
                    if self.level_in(child, year) is None:
                        continue
                    rows += self.absences_in_year(child, year, sickly, lateness, id(child) in suspended)
        self.absences = rows

    def absences_in_year(self, child, year, sickly, lateness, suspended):
        rng = self.rng
        pupil = child.pupil
        cal = self.calendar(child.school_index)
        start = max(cal.first_school_day(year), pupil.enrolled_on)
        end = min(cal.last_school_day(year), self.today - datetime.timedelta(days=1))
        if end < start:
            return []
        fraction = (end - start).days / (cal.last_school_day(year) - cal.first_school_day(year)).days
        taken = set()
        rows = []

        def add(day, reason, part=Absence.PartOfDay.WHOLE_DAY, minutes=None, note=""):
            taken.add(day)
            rows.append(
                Absence(
                    pupil=pupil,
                    date=day,
                    part_of_day=part,
                    minutes_late=minutes,
                    reason=reason,
                    excused=EXCUSED_BY_DEFAULT[reason],
                    note=note,
                )
            )

        def day_or_none():
            return self.school_day_between(start, end, taken, calendar=cal)

        for _ in range(_poisson(rng, 2.2 * sickly * fraction)):
            day = day_or_none()
            if day is None:
                continue
            length = self.weighted([(1, 55), (2, 25), (3, 15), (5, 5)])
            if length == 1 and rng.random() < 0.15 and day.weekday() != 2:
                add(day, Reason.ILLNESS, Absence.PartOfDay.AFTERNOON, note="Ziek naar huis gestuurd")
                continue
            for _ in range(length):
                if day > end or day in taken:
                    break
                add(day, Reason.ILLNESS)
                day = cal.next_school_day(day + datetime.timedelta(days=1))
        for _ in range(_poisson(rng, 0.8 * fraction)):
            day = day_or_none()
            if day:
                part = Absence.PartOfDay.AFTERNOON if rng.random() < 0.4 and day.weekday() != 2 else "ochtend"
                note = rng.choice(["tandarts", "orthodontist", "huisarts", "fysiotherapie", "logopedie", ""])
                add(day, Reason.MEDICAL, part, note=note)
        for _ in range(_poisson(rng, 1.2 * lateness * fraction)):
            day = day_or_none()
            if day:
                add(day, Reason.LATE, Absence.PartOfDay.LATE, minutes=rng.choice([5, 5, 10, 10, 15, 20, 30]))
        if rng.random() < 0.12 * fraction:
            day = day_or_none()
            if day:
                note = rng.choice(["bruiloft", "begrafenis opa", "verhuizing", "jubileum grootouders"])
                add(day, Reason.LEAVE_CIRCUMSTANCES, note=note)
        note = RELIGIOUS_HOLIDAY_NOTES.get(child.heritage)
        if note and rng.random() < fraction:
            day = day_or_none()
            if day:
                add(day, Reason.RELIGIOUS, note=note)
        if rng.random() < 0.06 * fraction:
            day = day_or_none()
            if day:
                add(day, Reason.UNEXCUSED, self.weighted([("dag", 2), ("ochtend", 1)]), note="Niet afgemeld")
        if rng.random() < 0.015 and end == cal.last_school_day(year) and end not in taken:
            # A day off before the summer holiday without leave.
            add(end, Reason.LUXURY, note="Eerder op vakantie")
        if rng.random() < 0.01 and end == cal.last_school_day(year) and year >= self.current - 1:
            day = self.school_day_between(
                datetime.date(year + 1, 6, 1), datetime.date(year + 1, 6, 30), taken, calendar=cal
            )
            if day:
                for offset in range(3):
                    if (
                        cal.is_school_day(day + datetime.timedelta(days=offset))
                        and day + datetime.timedelta(days=offset) not in taken
                    ):
                        add(
                            day + datetime.timedelta(days=offset), Reason.LEAVE_PARENTS_WORK, note="Seizoenswerk ouders"
                        )
        level = self.level_in(child, year)
        if level <= 2 and rng.random() < 0.4:
            for _ in range(_poisson(rng, 2.0 * fraction) or 1):
                day = day_or_none()
                if day and day < add_years(pupil.birth_date, 6):
                    add(day, Reason.INFANT_EXEMPTION, Absence.PartOfDay.AFTERNOON if day.weekday() != 2 else "ochtend")
        if suspended and year == self.current - 1 and level >= 7:
            day = self.school_day_between(
                datetime.date(year + 1, 3, 1), datetime.date(year + 1, 3, 31), taken, calendar=cal
            )
            if day:
                add(day, Reason.SUSPENSION, note="Schorsing van één dag na een incident op het plein")
        if child.scripted and year == self.current and end >= start:
            # The demo parents always see something this year: a sick day and a late morning.
            for reason in (Reason.ILLNESS, Reason.LATE):
                if not any(r.reason == reason for r in rows):
                    day = day_or_none()
                    if day:
                        if reason == Reason.LATE:
                            add(day, reason, Absence.PartOfDay.LATE, minutes=10)
                        else:
                            add(day, reason, note="Griep")
        return rows

    # --- test results ------------------------------------------------------------------------------------------

    def make_results(self):
        rng = self.rng
        assessments = {}
        for lookup, defaults in assessment_specs():
            # The school's test catalogue: configured in the portal, not exported (build_demo saves it).
            assessments[(lookup["subject"], lookup["name"])] = Assessment(**lookup, **defaults)
        method = assessments[(METHOD_TEST["subject"], METHOD_TEST["name"])]
        self.assessments = list(assessments.values())
        test_days = {}

        def test_day(group, year, moment, offset, cal):
            key = (id(group), year, moment)
            if key not in test_days:
                window = cal.test_window(year, moment)
                test_days[key] = self.school_day_between(*window, calendar=cal) or cal.next_school_day(window[0])
            day = test_days[key]
            for _ in range(offset):
                day = cal.next_school_day(day + datetime.timedelta(days=1))
            return day

        rows = []
        for school_index in range(len(SCHOOL_SPECS)):
            for child in self.children[school_index]:
                general = rng.gauss(0, 1)
                if child.scripted:  # average pupils: their results show several level colours
                    general = 0.2
                talent = {subject: 0.7 * general + 0.71 * rng.gauss(0, 1) for subject, *_ in CITO_SUBJECTS}
                last = {}
                for year in self.years:
                    level = self.level_in(child, year)
                    if level is None or level < 3:
                        continue
                    group = self.group_of[(id(child), year)]
                    scheme = Assessment.LevelScheme.A_TO_E if year == self.years[0] else Assessment.LevelScheme.I_TO_V
                    product = CITO_PRODUCTS[scheme].removeprefix("Cito ")
                    school_year = self.school_years[year]
                    for moment in ("M", "E") if level < 8 else ("M",):
                        t = (level - 3) * 2 + (0 if moment == "M" else 1)
                        for offset, (subject, label, first_level, base, growth, spread) in enumerate(CITO_SUBJECTS):
                            if level < first_level:
                                continue
                            day = test_day(group, year, moment, offset, self.calendar(school_index))
                            if day > self.today or day < child.pupil.enrolled_on:
                                continue
                            expected = base + growth * t * (1 - 0.025 * t)
                            score = expected + spread * talent[subject] + rng.gauss(0, 4)
                            score = max(score, last.get(subject, -1e9) + 1.0)
                            last[subject] = score
                            percentile = _phi((score - expected) / math.hypot(spread, 4))
                            bands = AE_BANDS if scheme == Assessment.LevelScheme.A_TO_E else IV_BANDS
                            letter = next(band for threshold, band in bands if percentile >= threshold)
                            rows.append(
                                TestResult(
                                    pupil=child.pupil,
                                    assessment=assessments[(subject, f"{label} ({product})")],
                                    school_year=school_year,
                                    moment=f"{moment}{level}",
                                    taken_on=day,
                                    score=str(round(score)) if subject == "Technisch lezen" else "",
                                    ability_score=Decimal(f"{score:.1f}"),
                                    level=letter,
                                )
                            )
                    # The method's own test: for the teacher only, never shown to parents.
                    for moment in ("B", "E"):
                        day = test_day(group, year, moment, 5, self.calendar(school_index))
                        if day > self.today or day < child.pupil.enrolled_on:
                            continue
                        correct = max(5, min(40, round(30 + 6 * talent["Rekenen-Wiskunde"] + rng.gauss(0, 3))))
                        rows.append(
                            TestResult(
                                pupil=child.pupil,
                                assessment=method,
                                school_year=school_year,
                                moment=f"{'M' if moment == 'B' else 'E'}{level}",
                                taken_on=day,
                                score=f"{correct}/40",
                            )
                        )
        self.results = rows


# ---------------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------------
