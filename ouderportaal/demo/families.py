"""The demo families: who lives where, who has authority, contacts, medical information as parents gave it."""

import datetime

from ouderportaal.demo.catalogue import (
    ALLERGIES,
    ALLERGY_MEDICATION,
    CONDITIONS,
    DIETS,
    EMERGENCY_RELATIONS,
    HERITAGES,
    MEDICATION_FOR,
    REMARKS,
    SCHOOL_SPECS,
)
from ouderportaal.demo.generators import _Child, add_years  # noqa: F401
from ouderportaal.school.models import (
    ContactDetail,
    EmergencyContact,
    Guardian,
    Guardianship,
    Household,
    MedicalInfo,
    Pupil,
)


class Families:
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
                left_on=(
                    self.calendar(school_index).last_school_day(self.current - (child.cohort - 8))
                    if child.cohort > 8
                    else None
                ),
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
        cal = self.calendar(child.school_index)
        if child.late_starter:
            start = cal.first_school_day(self.current - 1)
            day = self.school_day_between(start, self.today, calendar=cal) or start
            if day > add_years(child.birth_date, 4):
                return day
        return cal.next_school_day(add_years(child.birth_date, 4))
