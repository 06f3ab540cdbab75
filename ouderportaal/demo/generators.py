"""The planner's small generators: numbers, addresses, names, and the children of each school."""

import datetime
import math
import unicodedata
from dataclasses import dataclass

import phonenumbers
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from ouderportaal.demo.catalogue import (
    ADULT_FEMALE,
    ADULT_MALE,
    EXTRA_FIRST_NAMES,
    FORMAL_NAMES,
    HERITAGES,
    POSTCODE_LETTERS,
    STREETS,
    TOWNS,
)
from ouderportaal.school.models import (
    Pupil,
)


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Child:
    """A pupil being planned: its cohort (year level this year; 0 = turned 4 this year, 9/10 = left)."""

    school_index: int
    cohort: int
    group_name: str | None  # current year's group (None for leavers)
    birth_date: datetime.date
    gender: str
    scripted: bool = False
    heritage: str = "nl"
    late_starter: bool = False
    pupil: Pupil | None = None
    family: object = None


def normalise(value):
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _poisson(rng, mean):
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _phi(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


class Generators:
    def bsn(self):
        while True:
            digits = [self.rng.randint(1, 6)] + [self.rng.randint(0, 9) for _ in range(7)]
            check = sum((9 - i) * d for i, d in enumerate(digits)) % 11
            if check == 10:
                continue
            number = "".join(map(str, digits)) + str(check)
            if number not in self.bsns and stdnum_bsn.is_valid(number):
                self.bsns.add(number)
                return number

    def mobile(self):
        while True:
            number = f"06 {self.rng.randint(1, 5)}{self.rng.randint(0, 9_999_999):07d}"
            if phonenumbers.is_valid_number(phonenumbers.parse(number, "NL")):
                return number

    def landline(self, town):
        area = TOWNS[town][1]
        while True:
            digits = str(self.rng.randint(2, 9)) + "".join(str(self.rng.randint(0, 9)) for _ in range(9 - len(area)))
            number = f"{area} {digits[:3]} {digits[3:]}" if len(digits) == 7 else f"{area} {digits[:2]} {digits[2:]}"
            if phonenumbers.is_valid_number(phonenumbers.parse(number, "NL")):
                return number

    def address(self, town):
        while True:
            street = self.rng.choice(STREETS[town])
            number = self.rng.randint(1, 180)
            suffix = self.rng.choice(["", "", "", "", "", "", "", "", "a", "-2"])
            line = f"{street} {number}{suffix}"
            if line in self.addresses:
                continue
            self.addresses.add(line)
            block = (town, street, number // 24)
            if block not in self.street_postcodes:
                ranges = TOWNS[town][0]
                low, high = self.rng.choice(ranges)
                while True:
                    letters = self.rng.choice(POSTCODE_LETTERS) + self.rng.choice(POSTCODE_LETTERS)
                    code = f"{self.rng.randint(low, high)} {letters}"
                    if stdnum_postcode.is_valid(code):
                        break
                self.street_postcodes[block] = code
            return line, self.street_postcodes[block], town

    def email(self, first_name, voorvoegsel, surname, domain=None):
        local = f"{normalise(first_name)}.{normalise(voorvoegsel + surname)}"
        domain = domain or self.rng.choice(["example.com", "example.net", "example.org"])
        address, n = f"{local}@{domain}", 1
        while address in self.emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.emails.add(address)
        return address

    def weighted(self, pairs):
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def school_day_between(self, start, end, avoid=(), tries=40, *, calendar):
        if end < start:
            return None
        span = (end - start).days
        for _ in range(tries):
            day = start + datetime.timedelta(days=self.rng.randint(0, span))
            if calendar.is_school_day(day) and day not in avoid:
                return day
        return None

    # --- the build ------------------------------------------------------------------------------------------

    def birth_range(self, cohort):
        start = datetime.date(self.current - cohort - 4, 10, 1)
        end = datetime.date(self.current - cohort - 3, 9, 30)
        return start, end

    def plan_children(self, school_index, spec):
        children = []
        for group_name, levels in spec["groups"]:
            for level, count in levels.items():
                for _ in range(count):
                    if level == 1:
                        # Group 1 holds the cohort of level 1 and the children who turned 4 since 1 October.
                        start = self.birth_range(1)[0]
                        end = min(self.birth_range(0)[1], add_years(self.today, -4) - datetime.timedelta(days=1))
                    else:
                        start, end = self.birth_range(level)
                    birth = start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))
                    cohort = level if level > 1 else (1 if birth <= self.birth_range(1)[1] else 0)
                    gender = self.rng.choice([Pupil.Gender.MALE, Pupil.Gender.FEMALE])
                    children.append(_Child(school_index, cohort, group_name, birth, gender))
        for level, count in spec["leavers"].items():
            for _ in range(count):
                start, end = self.birth_range(level)
                birth = start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))
                gender = self.rng.choice([Pupil.Gender.MALE, Pupil.Gender.FEMALE])
                children.append(_Child(school_index, level, None, birth, gender))
        for child in children:
            if 3 <= child.cohort <= 8 and self.rng.random() < 0.06:
                child.late_starter = True  # came from another school during the last two years
        return children

    def take(self, school_index, group_name, cohort, gender):
        child = next(
            c
            for c in self.children[school_index]
            if c.group_name == group_name and c.cohort == cohort and c.family is None and not c.scripted
        )
        child.scripted, child.late_starter, child.gender = True, False, gender
        return child

    # --- families ----------------------------------------------------------------------------------------------

    def adult_name(self, heritage, female):
        h = HERITAGES[heritage]
        names = h.get("women" if female else "men") or (ADULT_FEMALE if female else ADULT_MALE)
        return self.rng.choice(names)

    def surname(self, heritage):
        return self.rng.choice(HERITAGES[heritage]["surnames"])

    def child_name(self, heritage, gender):
        h = HERITAGES[heritage]
        key = "girls" if gender == Pupil.Gender.FEMALE else "boys"
        if key in h:
            roepnaam = self.rng.choice(h[key])
            return roepnaam, roepnaam
        roll = self.rng.random()
        if roll < 0.10:
            formal, roepnaam = self.rng.choice(FORMAL_NAMES[gender])
            return roepnaam, f"{formal} {self.rng.choice(EXTRA_FIRST_NAMES[gender])}"
        roepnaam = self.fake.first_name_female() if gender == Pupil.Gender.FEMALE else self.fake.first_name_male()
        if roll < 0.25:
            return roepnaam, roepnaam
        extra = self.rng.sample(EXTRA_FIRST_NAMES[gender], 2 if roll > 0.85 else 1)
        return roepnaam, " ".join([roepnaam, *extra])
