"""The demo planner: the whole demo world in memory (unsaved model instances), ready to be written as exports."""

import random
from collections import defaultdict

from faker import Faker

from ouderportaal.demo.calendar import SchoolCalendar
from ouderportaal.demo.catalogue import GP_SPECS, SCHOOL_SPECS, SEED
from ouderportaal.demo.families import Families
from ouderportaal.demo.generators import Generators
from ouderportaal.demo.schoolyears import SchoolYears
from ouderportaal.school.models import (
    GeneralPractitioner,
    SchoolYear,
)


class Planner(Generators, Families, SchoolYears):
    """Plans the demo board's schools: children, families, groups and three years of absences and results.

    Nothing is saved: the result is a set of unsaved model instances that `demo.exports` writes as the files a
    school's administration would export, and that `build_demo` then imports through the front door.
    """

    def __init__(self, today, *, board, schools, users):
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
        self.board, self.schools, self.users = board, schools, users
        self.emails.update(user.email for user in users.values())
        self.calendars = [SchoolCalendar(spec["region"]) for spec in SCHOOL_SPECS]

    def calendar(self, school_index):
        return self.calendars[school_index]

    def plan(self):
        self.school_years = {y: SchoolYear(start_year=y) for y in self.years}
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
        self.children = [self.plan_children(i, spec) for i, spec in enumerate(SCHOOL_SPECS)]
        self.families = []
        self.scripted_families()
        for index in range(len(SCHOOL_SPECS)):
            self.form_families(index)
        for family in self.families:
            self.make_family(family)
        self.make_groups_and_enrolments()
        self.make_absences()
        self.make_results()
        return self
