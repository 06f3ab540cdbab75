"""The demo data: one board, two schools of about 200 pupils each, three school years of history.

Deterministic: Faker("nl_NL") and random.Random share one fixed seed, so two builds on an empty database give the
same names, dates and numbers (only the opaque public ids differ). Dates are relative to today, so the demo always
shows the current school year and the two before it.

`build_demo()` is what `manage.py seed_demo`, the tests and the browser tests call; `delete_demo()` removes it
again (`seed_demo --reset`). The demo logins (`DEMO_LOGINS`) exist only here.
"""

import datetime
import math
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone
from faker import Faker
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from ouderportaal.absences.models import EXCUSED_BY_DEFAULT, Absence, Reason
from ouderportaal.accounts.models import User
from ouderportaal.results.models import Assessment, ResultsClosure, TestResult
from ouderportaal.school.models import (
    Board,
    ContactDetail,
    EmergencyContact,
    Enrolment,
    GeneralPractitioner,
    Group,
    Guardian,
    Guardianship,
    Household,
    MedicalInfo,
    Pupil,
    School,
    SchoolYear,
    StaffRole,
    Teacher,
)

SEED = 20260801
BOARD_NAME = "Stichting Kindwijs (demo)"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


DEMO_LOGINS = (
    DemoLogin(
        "ouder", "ouder-demo", "ouder: moeder en hoofdverzorger van Lotte (groep 4/5) en Daan (groep 7), De Mijlpaal"
    ),
    DemoLogin("ouder2", "ouder-demo", "ouder: vader van Lotte en Daan, gescheiden, eigen (geheim) adres"),
    DemoLogin("ouder3", "ouder-demo", "ouder: vader van Emma en Sem, De Regenboog"),
    DemoLogin("administratie", "beheer-demo", "administratie De Mijlpaal (/beheer/)"),
    DemoLogin("admin", "admin-demo", "beheerder: Django-admin (/admin/)"),
)
DEMO_USERNAMES = tuple(login.username for login in DEMO_LOGINS)


class DemoDataError(Exception):
    """The database is not in a state the demo may be built in."""


# ---------------------------------------------------------------------------------------------------------------
# Fixed facts of the demo world
# ---------------------------------------------------------------------------------------------------------------

PREFIXES = ("van den", "van der", "van de", "van", "de", "ter", "'t")


def _names(text):
    """'a, b, c' → ['a', 'b', 'c']: long lists of names stay readable (and the formatter leaves them alone)."""
    return [name.strip() for name in text.split(",") if name.strip()]


def _surnames(text):
    """'de Jong, Jansen' → [('de', 'Jong'), ('', 'Jansen')]: the voorvoegsel apart, as the models keep it."""
    result = []
    for name in _names(text):
        prefix = next((p for p in PREFIXES if name.startswith(p + " ")), "")
        result.append((prefix, name.removeprefix(prefix).strip()))
    return result


# Town: (postcode ranges, area code). Postcodes are real number ranges of the town; the letters are made up.
TOWNS = {
    "Amersfoort": ([(3811, 3829)], "033"),
    "Hoogland": ([(3828, 3828)], "033"),
    "Leusden": ([(3831, 3833)], "033"),
    "Achterveld": ([(3791, 3791)], "0342"),
}
STREETS = {
    "Amersfoort": _names(
        "Schothorsterlaan, Hogeweg, Leusderweg, Kapelweg, Vondellaan, Bisschopsweg, Van Randwijcklaan, "
        "Heiligenbergerweg, Sterrenburg, Regulierenweg, Zonnewijzerlaan, Kruiskamplaan, Noordewierweg, Valleikanaal, "
        "Beekweg, Molenstraat, Pyramidelaan, Ringweg Randenbroek, Merelstraat, Lijsterbes"
    ),
    "Hoogland": _names("Hamseweg, Zevenhuizerstraat, Engweg, Slaperdijkweg, Duivenkamp, Weverstede"),
    "Leusden": _names(
        "Hamersveldseweg, Groenhoven, Burgemeester Buiningpark, Dodeweg, Arnhemseweg, Lisdodde, Gravenhof, "
        "Kastanjelaan, Lindenhoutseweg, De Biezen, Zwanebloem, Rozenhof, Zuidhoek"
    ),
    "Achterveld": _names("Dorpsstraat, Barneveldseweg, Rijksstraatweg, Sint Josephlaan"),
}
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # F, I, O, Q, U and Y are not used in Dutch postcodes

SCHOOL_SPECS = [
    dict(
        name="De Mijlpaal",
        brin="27MP",
        street="Schothorsterlaan 12",
        postcode="3822 NA",
        city="Amersfoort",
        phone="033 456 1200",
        email="info@demijlpaal.example",
        admin_email="administratie@demijlpaal.example",
        website="https://www.demijlpaal.example",
        director="Marieke van Dalen",
        domain="demijlpaal.example",
        towns=[("Amersfoort", 85), ("Hoogland", 10), ("Leusden", 5)],
        kleuter_names=["Groep 1/2A", "Groep 1/2B", "Groep 1/2C"],
        groups=[
            ("Groep 1/2A", {1: 12, 2: 13}),
            ("Groep 1/2B", {1: 12, 2: 12}),
            ("Groep 3", {3: 26}),
            ("Groep 4", {4: 21}),
            ("Groep 4/5", {4: 7, 5: 17}),
            ("Groep 6", {6: 25}),
            ("Groep 7", {7: 27}),
            ("Groep 8", {8: 24}),
        ],
        leavers={9: 26, 10: 23},
    ),
    dict(
        name="De Regenboog",
        brin="27RB",
        street="Hamersveldseweg 85",
        postcode="3833 GR",
        city="Leusden",
        phone="033 494 3300",
        email="info@deregenboog.example",
        admin_email="administratie@deregenboog.example",
        website="https://www.deregenboog.example",
        director="Hans Kuipers",
        domain="deregenboog.example",
        towns=[("Leusden", 80), ("Amersfoort", 15), ("Achterveld", 5)],
        kleuter_names=["Groep 1/2 Egels", "Groep 1/2 Vossen", "Groep 1/2 Uilen"],
        groups=[
            ("Groep 1/2 Egels", {1: 12, 2: 13}),
            ("Groep 1/2 Vossen", {1: 13, 2: 12}),
            ("Groep 3", {3: 25}),
            ("Groep 4", {4: 26}),
            ("Groep 5", {5: 24}),
            ("Groep 6", {6: 14}),
            ("Groep 6/7", {6: 12, 7: 12}),
            ("Groep 7", {7: 14}),
            ("Groep 8", {8: 25}),
        ],
        leavers={9: 24, 10: 25},
    ),
]

DUTCH_SURNAMES = _surnames(
    "de Jong, Jansen, van den Berg, van Dijk, Bakker, Janssen, Visser, Meijer, de Boer, Mulder, de Groot, Bos, Peters, "
    "Hendriks, van Leeuwen, Dekker, Brouwer, de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, "
    "Jacobs, de Haan, Vermeulen, van den Heuvel, van der Veen, van den Broek, de Bruijn, van der Heijden, Schouten, "
    "van Beek, Willems, van Vliet, van de Ven, Hoekstra, Maas, Verhoeven, van Dam, van der Wal, Prins, Blom, Huisman, "
    "Kuiper, van Wijk, Postma, Kramer, van den Brink, Scholten, Vink, Timmermans, Groen, Gerritsen, Jonker, van Loon, "
    "Boersma, Evers, Wouters, Kroon, 't Hart, IJzerman, van Os, ter Horst, Veldhuis, van Ginkel, Hofman, Schipper, "
    "Sanders, van Rijn, Verbeek, Lammers, van Essen, Pol, Hermans"
)
ADULT_FEMALE = _names(
    "Anouk, Marieke, Linda, Iris, Femke, Esther, Kim, Lisa, Manon, Sandra, Mirjam, Laura, Judith, Inge, Nicole, "
    "Saskia, Wendy, Marloes, Ilse, Charlotte, Annemiek, Petra, Renske, Maaike, Lotte, Suzanne, Jolien, Eline, Karlijn, "
    "Mariska, Sabine, Danielle, Noor, Hanneke"
)
ADULT_MALE = _names(
    "Mark, Dennis, Jeroen, Bas, Tim, Martijn, Sander, Niels, Thomas, Joost, Ruben, Wouter, Rob, Erik, Michiel, Jasper, "
    "Pieter, Arjen, Vincent, Stefan, Maarten, Remco, Bart, Robin, Koen, Paul, Rik, Frank, Gijs, Hidde, Jelle, Daan, "
    "Wessel, Sjoerd"
)
EXTRA_FIRST_NAMES = {
    "2": _names("Maria, Johanna, Elisabeth, Anna, Sophie, Catharina, Wilhelmina, Louise, Geertruida"),
    "1": _names("Johannes, Pieter, Willem, Hendrik, Cornelis, Jan, Jacob, Adriaan, Gerardus"),
}
# Formal first name → the roepnaam the child is known by.
FORMAL_NAMES = {
    "2": [("Elisabeth", "Lisa"), ("Josephine", "Fien"), ("Catharina", "Kaat"), ("Johanna", "Jet"), ("Maria", "Mia")],
    "1": [
        ("Maximiliaan", "Max"),
        ("Sebastiaan", "Bas"),
        ("Abraham", "Bram"),
        ("Theodoor", "Teun"),
        ("Jacobus", "Koos"),
    ],
}

# Family backgrounds: weight, surnames, first names of children and adults (absent: Faker's and the Dutch lists),
# nationality, and birth places for children born abroad (absent: born here).
HERITAGES = {
    "nl": dict(weight=82, surnames=DUTCH_SURNAMES, nationality="Nederlandse"),
    "ma": dict(
        weight=5,
        surnames=_surnames("El Amrani, Benali, El Idrissi, Bouzid, Ait Taleb"),
        girls=_names("Amira, Yasmina, Nour, Hiba, Aya, Lina, Sara, Dounia"),
        boys=_names("Adam, Ayoub, Ilyas, Bilal, Amin, Zakaria, Anas, Yassin"),
        women=_names("Fatima, Khadija, Naima, Samira, Loubna"),
        men=_names("Mohamed, Karim, Rachid, Youssef, Hicham"),
        nationality="Nederlandse",
    ),
    "tr": dict(
        weight=4,
        surnames=_surnames("Yılmaz, Demir, Kaya, Öztürk, Şahin, Çelik"),
        girls=_names("Elif, Zeynep, Meryem, Ecrin, Azra, Defne"),
        boys=_names("Yusuf, Emir, Mert, Ömer, Kerem, Alp"),
        women=_names("Ayşe, Hatice, Esra, Büşra, Derya"),
        men=_names("Hakan, Mustafa, Murat, Emre, Burak"),
        nationality="Nederlandse",
    ),
    "pl": dict(
        weight=3,
        surnames=_surnames("Nowak, Wójcik, Kowalczyk, Mazur, Krawczyk"),
        girls=_names("Zofia, Hanna, Julia, Maja, Zuzanna"),
        boys=_names("Jakub, Antoni, Szymon, Filip, Kacper"),
        women=_names("Katarzyna, Agnieszka, Magdalena, Joanna"),
        men=_names("Piotr, Tomasz, Marcin, Krzysztof"),
        nationality="Poolse",
        born_abroad=_names("Wrocław, Poznań, Kraków"),
    ),
    "ua": dict(
        weight=2,
        surnames=_surnames("Kovalenko, Shevchenko, Bondarenko, Tkachenko"),
        girls=_names("Sofiia, Anna, Viktoriia, Mariia"),
        boys=_names("Maksym, Artem, Oleksandr, Danylo"),
        women=_names("Olena, Iryna, Natalia"),
        men=_names("Andrii, Serhii, Dmytro"),
        nationality="Oekraïense",
        born_abroad=_names("Kyiv, Charkiv, Lviv"),
    ),
    "sy": dict(
        weight=2,
        surnames=_surnames("Al-Hassan, Haddad, Khalil, Al-Ahmad"),
        girls=_names("Lana, Sara, Rama, Joud"),
        boys=_names("Omar, Karam, Ahmad, Hamza"),
        women=_names("Rania, Hala, Reem"),
        men=_names("Samer, Khaled, Bassel"),
        nationality="Syrische",
        born_abroad=_names("Aleppo, Damascus, Homs"),
    ),
    "sr": dict(
        weight=2,
        surnames=_surnames("Pinas, Sedney, Kross, Doelwijt"),
        women=_names("Rosita, Shirley, Jennifer"),
        men=_names("Marciano, Romano, Clifton"),
        nationality="Nederlandse",
    ),
}

RELIGIOUS_HOLIDAY_NOTES = {"ma": "Suikerfeest", "tr": "Suikerfeest", "sy": "Offerfeest"}

GP_SPECS = [
    ("J.M. van Dijk", "Huisartsenpraktijk Schothorst", "Amersfoort"),
    ("A. Bouzid", "Huisartsenpraktijk Schothorst", "Amersfoort"),
    ("R.H. de Graaf", "Gezondheidscentrum Zielhorst", "Amersfoort"),
    ("S. Mulder", "Huisartsenpraktijk Kruiskamp", "Amersfoort"),
    ("E. van der Linden", "Huisartsen Hoogland", "Hoogland"),
    ("P.J. Kok", "Huisartsenpraktijk Leusden-Zuid", "Leusden"),
    ("M. Ait Taleb", "Huisartsenpraktijk Leusden-Zuid", "Leusden"),
    ("W.F. Brouwer", "Huisartsenpraktijk De Biezen", "Leusden"),
    ("H. Verbeek", "Huisartspraktijk Achterveld", "Achterveld"),
]

ALLERGIES = _names(
    "pinda's, noten, pinda's en noten, koemelkeiwit, ei, gluten, wespensteken, hooikoorts, huisstofmijt, penicilline, "
    "kiwi, zonnebrandcrème (parfum)"
)
CONDITIONS = _names(
    "astma, eczeem, ADHD, diabetes type 1, epilepsie, coeliakie, migraine, gehoorapparaat links, bril (sterkte -3), "
    "buisjes in de oren"
)
MEDICATION_FOR = {
    "astma": "Ventolin (salbutamol) puffer bij benauwdheid, zit in de rugzak",
    "ADHD": "methylfenidaat 10 mg, 's ochtends thuis ingenomen",
    "diabetes type 1": "insulinepomp; glucosetabletten in de la van de leerkracht",
    "epilepsie": "Buccolam (midazolam) bij een aanval langer dan 5 minuten; protocol bij de administratie",
    "eczeem": "hydrocortisonzalf, insmeren na gym",
    "migraine": "paracetamol 250 mg, alleen na overleg met ouders",
}
ALLERGY_MEDICATION = {"pinda's": "EpiPen (adrenaline-autoinjector) in de rugzak", "wespensteken": "EpiPen in de klas"}
DIETS = _names("glutenvrij, lactosevrij, halal, vegetarisch, geen varkensvlees, notenvrij, suikerarm")
REMARKS = [
    "Mag niet zonder zonnebrand naar buiten.",
    "Draagt bij gym een bril met elastiek.",
    "Ouders graag direct bellen bij hoofdletsel.",
    "Drinkt veel water; mag altijd naar de wc.",
    "Niet mee met het schoolzwemmen (oren).",
]
EMERGENCY_RELATIONS = _names("oma, opa, tante, oom, buurvrouw, buurman, oppas")

# Cito's nationally normed tests. The oldest demo year still has the old product with the A–E scheme; the later
# years the new product with I–V. One continuous ability scale per subject, so growth plots across products.
CITO_SUBJECTS = [
    # subject, label, first year level, score at M3, growth per half year, spread between pupils
    ("Rekenen-Wiskunde", "Rekenen-Wiskunde", 3, 120.0, 11.0, 14.0),
    ("Spelling", "Spelling", 3, 115.0, 9.0, 12.0),
    ("Begrijpend lezen", "Begrijpend lezen", 4, 110.0, 8.0, 13.0),
    ("Technisch lezen", "Technisch lezen DMT", 3, 30.0, 9.0, 12.0),
    ("Woordenschat", "Woordenschat", 3, 100.0, 8.0, 12.0),
]
CITO_PRODUCTS = {
    Assessment.LevelScheme.A_TO_E: "Cito LOVS",
    Assessment.LevelScheme.I_TO_V: "Cito Leerling in beeld",
}
METHOD_TEST = dict(
    supplier="Malmberg",
    subject="Rekenen-Wiskunde",
    name="Methodetoets Pluspunt",
    nationally_normed=False,
    # The model asks for a level scheme even here; a method test has no national level, its level stays empty.
    level_scheme=Assessment.LevelScheme.I_TO_V,
)
AE_BANDS = [(0.75, "A"), (0.50, "B"), (0.25, "C"), (0.10, "D"), (0.0, "E")]
IV_BANDS = [(0.80, "I"), (0.60, "II"), (0.40, "III"), (0.20, "IV"), (0.0, "V")]


def assessment_specs():
    """Every Assessment row the demo uses: (lookup, defaults)."""
    specs = []
    for scheme, product in CITO_PRODUCTS.items():
        for subject, label, *_ in CITO_SUBJECTS:
            specs.append(
                (
                    dict(supplier="Cito", subject=subject, name=f"{label} ({product.removeprefix('Cito ')})"),
                    dict(nationally_normed=True, level_scheme=scheme),
                )
            )
    lookup = {k: METHOD_TEST[k] for k in ("supplier", "subject", "name")}
    specs.append((lookup, {k: METHOD_TEST[k] for k in ("nationally_normed", "level_scheme")}))
    return specs


# ---------------------------------------------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------------------------------------------

# School holidays, roughly as in region Midden (month, day) from – to, inclusive.
HOLIDAYS = [
    ((10, 17), (10, 25)),
    ((12, 19), (12, 31)),
    ((1, 1), (1, 4)),
    ((2, 13), (2, 22)),
    ((4, 25), (5, 3)),
    ((7, 18), (8, 23)),
]


def is_school_day(day):
    if day.weekday() >= 5:
        return False
    key = (day.month, day.day)
    return not any(start <= key <= end for start, end in HOLIDAYS)


def first_school_day(start_year):
    return next_school_day(datetime.date(start_year, 8, 24))


def last_school_day(start_year):
    day = datetime.date(start_year + 1, 7, 17)
    while not is_school_day(day):
        day -= datetime.timedelta(days=1)
    return day


def next_school_day(day):
    while not is_school_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def aware(day, hour=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# ---------------------------------------------------------------------------------------------------------------
# What build_demo returns
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class OnboardingExample:
    school: School
    pupil: Pupil
    guardian: Guardian
    email: str

    @property
    def text(self):
        surname = " ".join(p for p in (self.pupil.voorvoegsel, self.pupil.surname) if p)
        return (
            f"Account aanvragen (demo): school {self.school.name}, oudste kind {self.pupil.roepnaam} {surname} "
            f"geboren {self.pupil.birth_date:%d-%m-%Y}, e-mail {self.email}"
        )


@dataclass
class Demo:
    board: Board
    schools: list
    school_years: list  # oldest first; the last is the current one
    users: dict  # username → User
    parent_children: list  # the two children of `ouder`
    coparent_guardian: Guardian
    no_authority_guardian: Guardian  # has_authority=False, may_view=False, no account
    combination_group: Group
    closure: ResultsClosure
    onboarding: OnboardingExample
    counts: dict = field(default_factory=dict)

    @property
    def current_year(self):
        return self.school_years[-1]


# ---------------------------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------------------------


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


class _Builder:
    def __init__(self, today):
        self.today = today
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(SEED)
        self.current = SchoolYear.start_year_for(today)
        self.years = [self.current - 2, self.current - 1, self.current]
        self.bsns = set()
        self.emails = set()
        self.addresses = {spec["street"] for spec in SCHOOL_SPECS}  # nobody lives in a school building
        self.street_postcodes = {}
        self.out = defaultdict(list)  # model → unsaved instances, saved in dependency order
        self.guardianship_rows = []
        self.teacher_links = []

    # --- small generators ---------------------------------------------------------------------------------------

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

    def school_day_between(self, start, end, avoid=(), tries=40):
        if end < start:
            return None
        span = (end - start).days
        for _ in range(tries):
            day = start + datetime.timedelta(days=self.rng.randint(0, span))
            if is_school_day(day) and day not in avoid:
                return day
        return None

    # --- the build ------------------------------------------------------------------------------------------

    def build(self):
        self.school_years = {y: SchoolYear.objects.get_or_create(start_year=y)[0] for y in self.years}
        self.board = Board.objects.create(name=BOARD_NAME)
        self.users = self.make_users()
        self.schools = []
        for spec in SCHOOL_SPECS:
            fields = {k: spec[k] for k in ("name", "brin", "street", "postcode", "city", "phone", "email")}
            fields.update({k: spec[k] for k in ("admin_email", "website", "director")})
            self.schools.append(School(board=self.board, **fields))
        School.objects.bulk_create(self.schools)
        StaffRole.objects.create(
            user=self.users["administratie"], school=self.schools[0], role=StaffRole.Role.ADMINISTRATION
        )
        self.gps = []
        practices = {}  # colleagues in one practice share its address and phone
        for name, practice, town in GP_SPECS:
            if practice not in practices:
                practices[practice] = (*self.address(town), self.landline(town))
            street, postcode, city, phone = practices[practice]
            self.gps.append(
                GeneralPractitioner(
                    board=self.board,
                    name=name,
                    practice=practice,
                    street=street,
                    postcode=postcode,
                    city=city,
                    phone=phone,
                )
            )
        GeneralPractitioner.objects.bulk_create(self.gps)

        self.children = [self.plan_children(i, spec) for i, spec in enumerate(SCHOOL_SPECS)]
        self.families = []
        self.scripted_families()
        for index in range(len(SCHOOL_SPECS)):
            self.form_families(index)
        for family in self.families:
            self.make_family(family)
        self.save_people()
        self.make_groups_and_enrolments()
        self.make_absences()
        self.make_results()
        closure = ResultsClosure.objects.create(
            school=self.schools[0],
            starts_at=aware(self.today + datetime.timedelta(days=21)),
            ends_at=aware(self.today + datetime.timedelta(days=31)),
            reason="Toetsweken: de toetsresultaten zijn tijdelijk niet te zien",
        )
        return closure

    # --- users -------------------------------------------------------------------------------------------------

    def make_users(self):
        people = {
            "ouder": ("Eva", "Jansen", "eva.jansen@example.com"),
            "ouder2": ("Mark", "de Vries", "mark.devries@example.net"),
            "ouder3": ("Jeroen", "Bakker", "jeroen.bakker@example.org"),
            "administratie": ("Ingrid", "Hoekstra", "i.hoekstra@demijlpaal.example"),
            "admin": ("Demo", "Beheerder", "beheer@ouderportaal.example"),
        }
        hashes = {}  # one slow hash per distinct password
        users = {}
        for login in DEMO_LOGINS:
            first, last, email = people[login.username]
            if login.password not in hashes:
                hashes[login.password] = make_password(login.password)
            is_operator = login.username == "admin"
            users[login.username] = User.objects.create(
                username=login.username,
                first_name=first,
                last_name=last,
                email=email,
                password=hashes[login.password],
                is_staff=is_operator,
                is_superuser=is_operator,
            )
            self.emails.add(email)
        return users

    # --- planning pupils --------------------------------------------------------------------------------------

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

    def scripted_families(self):
        girl, boy = Pupil.Gender.FEMALE, Pupil.Gender.MALE
        lotte = self.take(0, "Groep 4/5", 5, girl)
        daan = self.take(0, "Groep 7", 7, boy)
        self.add_family(
            dict(
                key="ouder",
                school_index=0,
                heritage="nl",
                kind="separated",
                children=[lotte, daan],
                child_names=[("Lotte", "Lotte Maria"), ("Daan", "Daan Pieter")],
                surname=("de", "Vries"),
                mother=("Eva", "", "Jansen", "ouder"),
                father=("Mark", "de", "Vries", "ouder2"),
                secret_household="father",
                lives_with="mother",
                medical=[
                    dict(
                        allergies="pinda's en noten",
                        medication="EpiPen (adrenaline-autoinjector) in de rugzak",
                        diet="notenvrij",
                        remarks="Bij een reactie eerst de EpiPen, dan 112 en de ouders bellen.",
                    ),
                    dict(
                        allergies="hooikoorts",
                        conditions="astma",
                        medication=MEDICATION_FOR["astma"],
                    ),
                ],
            )
        )
        # A family whose parents have no account yet: the onboarding example printed after the seed.
        self.add_family(
            dict(
                key="onboarding",
                school_index=0,
                heritage="nl",
                kind="together",
                children=[self.take(0, "Groep 6", 6, boy), self.take(0, "Groep 3", 3, girl)],
                child_names=[("Noah", "Noah Willem"), ("Julia", "Julia Sophie")],
                surname=("", "Smit"),
                mother=("Anouk", "", "Smit", None),
                father=("Thomas", "", "Smit", None),
                lives_with="mother",
            )
        )
        # A father without parental authority: he may not see his child (may_view off), and has no account.
        self.add_family(
            dict(
                key="no_authority",
                school_index=0,
                heritage="nl",
                kind="no_authority",
                children=[self.take(0, "Groep 8", 8, boy)],
                child_names=[("Finn", "Finn Johannes")],
                surname=("", "Koster"),
                mother=("Linda", "", "Koster", None),
                father=("Dennis", "", "Vos", None),
                lives_with="mother",
            )
        )
        self.add_family(
            dict(
                key="ouder3",
                school_index=1,
                heritage="nl",
                kind="together",
                children=[self.take(1, "Groep 5", 5, girl), self.take(1, "Groep 1/2 Egels", 2, boy)],
                child_names=[("Emma", "Emma Louise"), ("Sem", "Sem Adriaan")],
                surname=("", "Bakker"),
                mother=("Sophie", "", "Hendriks", None),
                father=("Jeroen", "", "Bakker", "ouder3"),
                lives_with="mother",
            )
        )

    def form_families(self, school_index):
        rng = self.rng
        pool = [c for c in self.children[school_index] if c.family is None and c.group_name is not None]
        rng.shuffle(pool)
        while pool:
            first = pool.pop(0)
            members = [first]
            size = self.weighted([(1, 40), (2, 45), (3, 13), (4, 2)])
            if size >= 2 and rng.random() < 0.04:
                twin = next((c for c in pool if c.cohort == first.cohort), None)
                if twin is not None:
                    pool.remove(twin)
                    twin.birth_date = first.birth_date
                    members.append(twin)
            for candidate in list(pool):
                if len(members) >= size:
                    break
                if all(
                    abs((candidate.birth_date - m.birth_date).days) >= 330 and candidate.cohort != m.cohort
                    for m in members
                ):
                    pool.remove(candidate)
                    members.append(candidate)
            self.add_family(self.random_family(school_index, members))
        # Every school shows each kind of family at least once, whatever the dice said.
        formed = [f for f in self.families if f["school_index"] == school_index and f["key"] is None]
        for kind in ("separated", "stepparent", "two_mothers", "foster", "no_authority", "single"):
            if not any(f["kind"] == kind for f in formed):
                family = next(f for f in formed if f["kind"] == "together")
                family["kind"] = kind
                family["secret_household"] = "father" if kind == "separated" else None
        # Leavers: one child per family, parents without an account.
        for child in self.children[school_index]:
            if child.family is None:
                self.add_family(self.random_family(school_index, [child], leavers=True))

    def add_family(self, family):
        self.families.append(family)
        for child in family["children"]:
            child.family = family

    def random_family(self, school_index, children, leavers=False):
        rng = self.rng
        heritage = self.weighted([(key, h["weight"]) for key, h in HERITAGES.items()])
        kinds = [("together", 68), ("separated", 13), ("single", 11), ("two_mothers", 2), ("stepparent", 3)]
        if not leavers:
            kinds += [("foster", 1), ("no_authority", 2)]
        kind = self.weighted(kinds)
        return dict(
            key=None,
            school_index=school_index,
            heritage=heritage,
            kind=kind,
            children=children,
            secret_household=("father" if rng.random() < 0.35 else None) if kind == "separated" else None,
            lives_with="father" if kind == "separated" and rng.random() < 0.25 else "mother",
        )

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

    def make_family(self, family):
        rng = self.rng
        school_index = family["school_index"]
        spec = SCHOOL_SPECS[school_index]
        heritage = family["heritage"]
        kind = family["kind"]
        town = self.weighted(spec["towns"])

        # Names.
        father_surname = tuple(family["father"][1:3]) if "father" in family else self.surname(heritage)
        if "mother" in family:
            mother_surname = (family["mother"][1], family["mother"][2])
        else:
            mother_surname = father_surname if rng.random() < 0.3 else self.surname(heritage)
        children_surname = family.get("surname") or (
            mother_surname
            if kind in ("single", "no_authority", "two_mothers") and rng.random() < 0.6
            else father_surname
        )

        # Guardians: (first, voorvoegsel, surname, relation, household key, authority, may_view, mail, username).
        M, F = Guardianship.Relation.MOTHER, Guardianship.Relation.FATHER
        mother_first = family["mother"][0] if "mother" in family else self.adult_name(heritage, True)
        father_first = family["father"][0] if "father" in family else self.adult_name(heritage, False)
        mother_user = family["mother"][3] if "mother" in family else None
        father_user = family["father"][3] if "father" in family else None
        mother = [mother_first, *mother_surname, M, "home", True, True, True, mother_user]
        father = [father_first, *father_surname, F, "home", True, True, True, father_user]
        adults = []
        if kind in ("together", "stepparent"):
            adults = [mother, father]
            if kind == "stepparent":
                # The father lives elsewhere; the mother's new partner lives in, without authority.
                father[4] = "other"
                partner = [self.adult_name(heritage, False), *self.surname(heritage), Guardianship.Relation.STEP]
                adults.append([*partner, "home", False, True, False, None])
        elif kind == "separated":
            adults = [mother, father]
            if family["lives_with"] == "mother":
                father[4] = "other"
            else:
                mother[4] = "other"
        elif kind == "single":
            adults = [mother] if rng.random() < 0.85 else [father]
        elif kind == "two_mothers":
            second = [self.adult_name(heritage, True), *self.surname(heritage), M, "home", True, True, True, None]
            adults = [mother, second]
        elif kind == "no_authority":
            father[4:8] = ["other", False, False, False]
            adults = [mother, father]
        elif kind == "foster":
            foster = Guardianship.Relation.FOSTER
            adults = [
                [self.adult_name("nl", True), *self.surname("nl"), foster, "home", False, True, True, None],
                [self.adult_name("nl", False), *self.surname("nl"), foster, "home", False, True, True, None],
            ]
            children_surname = self.surname(heritage)

        # Households.
        households = {}
        for adult in adults:
            key = adult[4]
            if key in households:
                continue
            line, postcode, city = self.address(town if key == "home" else self.weighted(spec["towns"]))
            # A separated family may keep the second household's address secret (from the other parent, too).
            secret = (key == "other" and family.get("secret_household") in ("father", "mother")) or (
                key == "home" and family["key"] is None and rng.random() < 0.015
            )
            name_vv, name_sn = children_surname if key == "home" else (adult[1], adult[2])
            households[key] = Household(
                board=self.board,
                name="Gezin " + " ".join(p for p in (name_vv, name_sn) if p),
                street=line,
                postcode=postcode,
                city=city,
                phone=self.landline(city) if rng.random() < 0.2 else "",
                address_secret=secret,
            )
            self.out[Household].append(households[key])
        home = households.get("home") or next(iter(households.values()))

        # The children.
        gp = self.rng.choice([g for g in self.gps if g.city in (town, spec["city"])] or self.gps)
        h = HERITAGES[heritage]
        for i, child in enumerate(family["children"]):
            if family.get("child_names"):
                roepnaam, first_names = family["child_names"][i]
            else:
                roepnaam, first_names = self.child_name(heritage, child.gender)
            abroad = h.get("born_abroad")
            born_abroad = abroad and rng.random() < 0.7
            birth_place = (
                rng.choice(abroad) if born_abroad else self.weighted([(town, 60), ("Amersfoort", 30), ("Utrecht", 10)])
            )
            child.pupil = Pupil(
                school=self.schools[school_index],
                first_names=first_names,
                roepnaam=roepnaam,
                voorvoegsel=children_surname[0],
                surname=children_surname[1],
                birth_date=child.birth_date,
                birth_place=birth_place,
                gender=child.gender,
                nationality=h["nationality"],
                bsn=self.bsn(),
                street=home.street,
                postcode=home.postcode,
                city=home.city,
                address_secret=home.address_secret,
                phone=home.phone,
                enrolled_on=self.enrolled_on(child),
                left_on=last_school_day(self.current - (child.cohort - 8)) if child.cohort > 8 else None,
                household=home,
                general_practitioner=gp,
            )
            child.heritage = heritage
            self.out[Pupil].append(child.pupil)

        # Guardians with their contacts and guardianships.
        main_household_key = next(k for k, v in households.items() if v is home)
        main_set = False
        family["guardians"] = []
        for adult in adults:
            first, vv, sn, relation, hh_key, authority, may_view, mail, username = adult
            initials = first[0] + "." + ("".join(rng.choice("AEHJMPW") + "." for _ in range(rng.randint(0, 1))))
            guardian = Guardian(
                board=self.board,
                household=households[hh_key],
                user=self.users.get(username) if username else None,
                initials=initials,
                first_name=first,
                voorvoegsel=vv,
                surname=sn,
            )
            self.out[Guardian].append(guardian)
            family["guardians"].append(guardian)
            self.contacts(guardian, first, vv, sn, family, hh_key, may_view)
            is_main = (
                not main_set
                and hh_key == main_household_key
                and authority
                or (not main_set and relation == Guardianship.Relation.FOSTER)
            )
            main_set = main_set or is_main
            for child in family["children"]:
                self.guardianship_rows.append(
                    Guardianship(
                        guardian=guardian,
                        pupil=child.pupil,
                        relation=relation,
                        has_authority=authority,
                        may_view=may_view,
                        receives_mail=mail,
                        is_main_caretaker=is_main,
                    )
                )

        # Emergency contacts, shared by the siblings.
        contacts = []
        for position in range(1, rng.choice([1, 2, 2]) + 1):
            relation = rng.choice(EMERGENCY_RELATIONS)
            if relation in ("oma", "opa"):
                first = (
                    self.adult_name(heritage, relation == "oma")
                    if heritage != "nl"
                    else rng.choice(
                        ["Ria", "Joke", "Gerda", "Annie", "Wil"]
                        if relation == "oma"
                        else ["Henk", "Kees", "Gerrit", "Wim"]
                    )
                )
                name = " ".join(p for p in (first, *rng.choice([father_surname, mother_surname])) if p)
            else:
                female = relation in ("tante", "buurvrouw", "oppas")
                name = " ".join(p for p in (self.adult_name(heritage, female), *self.surname(heritage)) if p)
            contacts.append((name, relation, self.mobile(), position))
        for child in family["children"]:
            for name, relation, phone, position in contacts:
                self.out[EmergencyContact].append(
                    EmergencyContact(pupil=child.pupil, name=name, relation=relation, phone=phone, position=position)
                )

        # Medical information as the parents gave it.
        for i, child in enumerate(family["children"]):
            given = family["medical"][i] if family.get("medical") else self.medical(heritage)
            if given:
                confirmed = self.today - datetime.timedelta(days=rng.randint(20, 400))
                self.out[MedicalInfo].append(MedicalInfo(pupil=child.pupil, last_confirmed_on=confirmed, **given))

    def contacts(self, guardian, first, vv, sn, family, hh_key, may_view):
        rng = self.rng
        secret_home = family.get("secret_household") and hh_key == "other"
        rows = [
            ContactDetail(
                guardian=guardian,
                kind=ContactDetail.Kind.PHONE,
                value=self.mobile(),
                label="mobiel",
                secret=bool(secret_home) or rng.random() < 0.03,
                emergency=may_view,
            )
        ]
        if rng.random() < 0.2:
            rows.append(
                ContactDetail(
                    guardian=guardian,
                    kind=ContactDetail.Kind.PHONE,
                    value=self.landline(self.weighted(SCHOOL_SPECS[family["school_index"]]["towns"])),
                    label="werk",
                    emergency=rng.random() < 0.5,
                )
            )
        user = guardian.user
        if user is not None:
            email = user.email
        elif family["key"] is not None:  # the scripted families: the same address whatever the date
            email = self.email(first, vv, sn, domain="example.com")
        elif rng.random() < 0.88:
            email = self.email(first, vv, sn)
        else:
            email = None
        if email:
            rows.append(ContactDetail(guardian=guardian, kind=ContactDetail.Kind.EMAIL, value=email, label="privé"))
        self.out[ContactDetail].extend(rows)

    def medical(self, heritage):
        rng = self.rng
        if rng.random() > 0.4:
            return None
        info = {}
        if rng.random() < 0.6:
            allergy = rng.choice(ALLERGIES)
            info["allergies"] = allergy
            if allergy in ALLERGY_MEDICATION:
                info["medication"] = ALLERGY_MEDICATION[allergy]
        if rng.random() < 0.35:
            condition = rng.choice(CONDITIONS)
            info["conditions"] = condition
            if condition in MEDICATION_FOR:
                info["medication"] = "; ".join(filter(None, [info.get("medication"), MEDICATION_FOR[condition]]))
        if rng.random() < 0.3 or heritage in ("ma", "tr", "sy") and rng.random() < 0.5:
            info["diet"] = "halal" if heritage in ("ma", "tr", "sy") else rng.choice(DIETS)
        if rng.random() < 0.15:
            info["remarks"] = rng.choice(REMARKS)
        return info or dict(remarks="Geen bijzonderheden.")

    def enrolled_on(self, child):
        if child.late_starter:
            start = first_school_day(self.current - 1)
            day = self.school_day_between(start, self.today) or start
            if day > add_years(child.birth_date, 4):
                return day
        return next_school_day(add_years(child.birth_date, 4))

    def save_people(self):
        Household.objects.bulk_create(self.out[Household])
        Pupil.objects.bulk_create(self.out[Pupil])
        Guardian.objects.bulk_create(self.out[Guardian])
        ContactDetail.objects.bulk_create(self.out[ContactDetail])
        Guardianship.objects.bulk_create(self.guardianship_rows)
        EmergencyContact.objects.bulk_create(self.out[EmergencyContact])
        MedicalInfo.objects.bulk_create(self.out[MedicalInfo])

    # --- groups and enrolments -----------------------------------------------------------------------------

    def level_in(self, child, year):
        """The child's year level in a school year, or None when not at this school then."""
        level = child.cohort - (self.current - year)
        if level > 8 or child.pupil.enrolled_on > last_school_day(year):
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
        Teacher.objects.bulk_create(self.out[Teacher])
        Group.objects.bulk_create(groups)
        Through = Group.teachers.through
        Through.objects.bulk_create([Through(group_id=g.pk, teacher_id=t.pk) for g, t in group_teachers])
        Enrolment.objects.bulk_create(enrolments)
        self.groups = groups
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
        Absence.objects.bulk_create(rows)
        self.absence_count = len(rows)

    def absences_in_year(self, child, year, sickly, lateness, suspended):
        rng = self.rng
        pupil = child.pupil
        start = max(first_school_day(year), pupil.enrolled_on)
        end = min(last_school_day(year), self.today - datetime.timedelta(days=1))
        if end < start:
            return []
        fraction = (end - start).days / (last_school_day(year) - first_school_day(year)).days
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
            return self.school_day_between(start, end, taken)

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
                day = next_school_day(day + datetime.timedelta(days=1))
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
        if rng.random() < 0.015 and end == last_school_day(year) and end not in taken:
            # A day off before the summer holiday without leave.
            add(end, Reason.LUXURY, note="Eerder op vakantie")
        if rng.random() < 0.01 and end == last_school_day(year) and year >= self.current - 1:
            day = self.school_day_between(datetime.date(year + 1, 6, 1), datetime.date(year + 1, 6, 30), taken)
            if day:
                for offset in range(3):
                    if (
                        is_school_day(day + datetime.timedelta(days=offset))
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
            day = self.school_day_between(datetime.date(year + 1, 3, 1), datetime.date(year + 1, 3, 31), taken)
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
            assessments[(lookup["subject"], lookup["name"])], _ = Assessment.objects.get_or_create(
                **lookup, defaults=defaults
            )
        method = assessments[(METHOD_TEST["subject"], METHOD_TEST["name"])]
        self.assessments = list(assessments.values())
        test_days = {}

        def test_day(group, year, moment, offset):
            key = (id(group), year, moment)
            if key not in test_days:
                if moment == "M":
                    window = (datetime.date(year + 1, 1, 12), datetime.date(year + 1, 2, 6))
                elif moment == "E":
                    window = (datetime.date(year + 1, 5, 26), datetime.date(year + 1, 6, 19))
                else:  # method test
                    window = (datetime.date(year, 12, 1), datetime.date(year, 12, 12))
                test_days[key] = self.school_day_between(*window) or window[0]
            day = test_days[key]
            for _ in range(offset):
                day = next_school_day(day + datetime.timedelta(days=1))
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
                            day = test_day(group, year, moment, offset)
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
                        day = test_day(group, year, moment, 5)
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
        TestResult.objects.bulk_create(rows, batch_size=2000)
        self.result_count = len(rows)


# ---------------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------------


def demo_board():
    return Board.objects.filter(name=BOARD_NAME).first()


def foreign_boards():
    return Board.objects.exclude(name=BOARD_NAME)


def build_demo(today=None):
    """Build the demo data in an empty database; raises DemoDataError when a board or demo login exists."""
    today = today or timezone.localdate()
    if Board.objects.exists():
        raise DemoDataError(
            "De database bevat al een schoolbestuur; de demodata worden alleen in een lege database gezet."
        )
    taken = list(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if taken:
        raise DemoDataError(f"Deze gebruikersnamen bestaan al: {', '.join(sorted(taken))}.")
    with transaction.atomic():
        builder = _Builder(today)
        closure = builder.build()
        by_key = {f["key"]: f for f in builder.families if f["key"]}
        parent_children = [c.pupil for c in by_key["ouder"]["children"]]
        combination = next(
            g
            for g in builder.groups
            if g.school_year.start_year == builder.current
            and "/" in g.year_levels
            and g.school == builder.schools[0]
            and g.year_levels != "1/2"
        )
        demo = Demo(
            board=builder.board,
            schools=builder.schools,
            school_years=[builder.school_years[y] for y in builder.years],
            users=builder.users,
            parent_children=parent_children,
            coparent_guardian=by_key["ouder"]["guardians"][1],
            no_authority_guardian=by_key["no_authority"]["guardians"][1],
            combination_group=combination,
            closure=closure,
            onboarding=onboarding_example(builder.board),
        )
        demo.counts = demo_counts(builder.board, today)
    return demo


def onboarding_example(board=None):
    """A guardian without an account whose email is known, with the oldest child at the board's first school."""
    board = board or demo_board()
    if board is None:
        return None
    school = board.schools.order_by("pk").first()
    guardians = (
        Guardian.objects.filter(board=board, user__isnull=True, contacts__kind=ContactDetail.Kind.EMAIL)
        .filter(guardianships__has_authority=True, guardianships__may_view=True, guardianships__pupil__school=school)
        .distinct()
        .order_by("pk")
        .prefetch_related("contacts")
    )
    for guardian in guardians[:50]:
        pupils = Pupil.objects.filter(guardianships__guardian=guardian, school=school, left_on__isnull=True).order_by(
            "birth_date", "pk"
        )
        oldest = pupils.first()
        if oldest is None:
            continue
        email = next(c.value for c in guardian.contacts.all() if c.kind == ContactDetail.Kind.EMAIL)
        return OnboardingExample(school=school, pupil=oldest, guardian=guardian, email=email)
    return None


def demo_counts(board, today=None):
    today = today or timezone.localdate()
    current = SchoolYear.objects.current(today)
    pupils = Pupil.objects.filter(school__board=board)
    per_school = {
        school.name: Enrolment.objects.filter(pupil__school=school, school_year=current).count()
        for school in board.schools.order_by("pk")
    }
    return {
        "schools": board.schools.count(),
        "school_years": SchoolYear.objects.filter(group__school__board=board).distinct().count(),
        "groups": Group.objects.filter(school__board=board).count(),
        "groups_current": Group.objects.filter(school__board=board, school_year=current).count(),
        "teachers": Teacher.objects.filter(school__board=board).count(),
        "pupils": pupils.count(),
        "pupils_current": per_school,
        "pupils_left": pupils.filter(left_on__lt=today).count(),
        "enrolments": Enrolment.objects.filter(pupil__school__board=board).count(),
        "households": Household.objects.filter(board=board).count(),
        "guardians": Guardian.objects.filter(board=board).count(),
        "guardians_with_account": Guardian.objects.filter(board=board, user__isnull=False).count(),
        "contacts": ContactDetail.objects.filter(guardian__board=board).count(),
        "general_practitioners": GeneralPractitioner.objects.filter(board=board).count(),
        "emergency_contacts": EmergencyContact.objects.filter(pupil__school__board=board).count(),
        "medical_infos": MedicalInfo.objects.filter(pupil__school__board=board).count(),
        "absences": Absence.objects.filter(pupil__school__board=board).count(),
        "test_results": TestResult.objects.filter(pupil__school__board=board).count(),
        "closures": ResultsClosure.objects.filter(school__board=board).count(),
    }


def _force_delete(queryset, depth=0):
    """Delete, first deleting whatever protects the rows (another app's records about demo pupils, say)."""
    while True:
        try:
            return queryset.delete()
        except (ProtectedError, RestrictedError) as error:
            if depth > 10:
                raise
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            by_model = defaultdict(list)
            for obj in blocking:
                by_model[type(obj)].append(obj.pk)
            for model, pks in by_model.items():
                _force_delete(model._base_manager.filter(pk__in=pks), depth + 1)


def delete_demo():
    """Remove the demo board with everything on it, the demo logins and accounts made for demo guardians."""
    boards = Board.objects.filter(name=BOARD_NAME)
    with transaction.atomic():
        users = User.objects.filter(
            Q(username__in=DEMO_USERNAMES) | Q(guardian__board__in=boards) | Q(staff_roles__school__board__in=boards)
        )
        user_ids = list(users.values_list("pk", flat=True).distinct())
        # The big tables first, as plain deletes; then the rest from the leaves up.
        TestResult.objects.filter(pupil__school__board__in=boards).delete()
        Absence.objects.filter(pupil__school__board__in=boards).delete()
        Enrolment.objects.filter(pupil__school__board__in=boards).delete()
        for queryset in (
            Pupil.objects.filter(school__board__in=boards),
            Guardian.objects.filter(board__in=boards),
            Household.objects.filter(board__in=boards),
            GeneralPractitioner.objects.filter(board__in=boards),
            Group.objects.filter(school__board__in=boards),
            Teacher.objects.filter(school__board__in=boards),
            School.objects.filter(board__in=boards),
            boards,
            User.objects.filter(pk__in=user_ids),
        ):
            _force_delete(queryset)
        names = [lookup["name"] for lookup, _ in assessment_specs()]
        Assessment.objects.filter(name__in=names, testresult__isnull=True).delete()
