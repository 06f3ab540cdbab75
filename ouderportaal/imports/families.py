"""The families CSV (docs/imports.md, after the OSO exchange): one row per pupil and guardian.

Guardians and households belong to the board and are upserted on their keys; a guardian on several rows (several
children) must carry the same data on each. Contact details are replaced as a set when they differ.
"""

from functools import partial

from django.utils.translation import gettext as _

from ouderportaal.imports.csvsource import (
    as_choice,
    as_email,
    as_phone,
    as_postcode,
    find_pupil,
    pupils_by_key,
    rows,
    simplify,
)
from ouderportaal.imports.reading import parse_bool
from ouderportaal.imports.upsert import Plan, ProblemLog, Section, insert_rows, stored_rows, with_ids
from ouderportaal.school.models import ContactDetail, GeneralPractitioner, Guardian, Guardianship, Household, Pupil

COLUMNS = {
    "leerling_key": ["leerlingnummer", "leerling_id", "leerling"],
    "ouder_key": ["verzorger_key", "ouder_id", "verzorger", "ouder"],
    "voorletters": [],
    "voornaam": ["roepnaam_ouder", "ouder_voornaam"],
    "voorvoegsel": ["tussenvoegsel"],
    "achternaam": ["ouder_achternaam"],
    "relatie": ["relatie_tot_kind"],
    "gezag": ["wettige_vertegenwoordiger", "ouderlijk_gezag"],
    "mag_inzien": ["inzage"],
    "ontvangt_post": ["post"],
    "hoofdverzorger": [],
    "email": ["emailadres", "e_mail", "e_mailadres"],
    "email_geheim": [],
    "email_soort": ["email_label", "email_omschrijving", "e_mail_soort"],
    "telefoon": ["telefoon_1", "telefoonnummer"],
    "telefoon_soort": ["telefoon_1_soort", "telefoon_label"],
    "telefoon_geheim": ["telefoon_1_geheim"],
    "telefoon_nood": ["telefoon_1_nood", "noodnummer"],
    "telefoon_2": ["telefoon2"],
    "telefoon_2_soort": ["telefoon2_soort", "telefoon_2_label"],
    "telefoon_2_geheim": ["telefoon2_geheim"],
    "telefoon_2_nood": ["telefoon2_nood"],
    "gezin_key": ["adres_key", "huishouden_key"],
    "straat": ["adres", "straat_en_huisnummer"],
    "postcode": [],
    "plaats": ["woonplaats"],
    "gezin_telefoon": ["huistelefoon", "telefoon_thuis"],
    "adres_geheim": ["geheim_adres"],
    "huisarts": ["huisarts_naam"],
    "huisarts_praktijk": ["praktijk"],
    "huisarts_telefoon": [],
    "huisarts_straat": ["huisarts_adres"],
    "huisarts_postcode": [],
    "huisarts_plaats": [],
    "gezin_naam": ["naam_gezin"],
    "geboorteplaats": ["leerling_geboorteplaats"],
    "nationaliteit": ["leerling_nationaliteit"],
}
REQUIRED = ["leerling_key", "ouder_key", "achternaam", "relatie"]
# The pupil's own OSO fields that no EDEX file carries (the same on each of the pupil's rows).
PUPIL_COLUMNS = [("geboorteplaats", "birth_place"), ("nationaliteit", "nationality")]
RELATIONS = {simplify(v): v for v in Guardianship.Relation.values}
RELATIONS.update(
    {
        simplify(k): v
        for k, v in {
            "pleegmoeder": "pleegouder",
            "pleegvader": "pleegouder",
            "stiefmoeder": "stiefouder",
            "stiefvader": "stiefouder",
            "verzorger": "anders",
            "overig": "anders",
        }.items()
    }
)

as_relation = partial(as_choice, choices=RELATIONS)
# A guardianship: pupil and guardian, then what is compared (the keys of `link` in prepare_families).
LINK_FIELDS = ("pupil_id", "guardian_id", "relation", "has_authority", "may_view", "receives_mail", "is_main_caretaker")
CONTACT_FIELDS = ("guardian_id", "kind", "value", "label", "secret", "emergency")  # _contacts gives the last five


def _person(row, board):
    return {
        "board": board,
        "source_key": row.raw("ouder_key")[:64],
        "initials": row.take("voorletters", max_length=20),
        "first_name": row.take("voornaam", max_length=100),
        "voorvoegsel": row.take("voorvoegsel", max_length=20),
        "surname": row.take("achternaam", required=True, max_length=100),
    }


def _contacts(row):
    wanted = []
    email = row.take("email", as_email)
    if email:
        label = row.take("email_soort", max_length=50)
        wanted.append(("email", email, label, row.take("email_geheim", parse_bool, default=False), False))
    for prefix in ("telefoon", "telefoon_2"):
        number = row.take(prefix, as_phone)
        if number:
            wanted.append(
                (
                    "phone",
                    number,
                    row.take(f"{prefix}_soort", max_length=50),
                    row.take(f"{prefix}_geheim", parse_bool, default=False),
                    row.take(f"{prefix}_nood", parse_bool, default=False),
                )
            )
    return wanted


def _household(row, board, surname, name_template):
    return {
        "board": board,
        "source_key": (row.raw("gezin_key") or row.raw("ouder_key"))[:64],
        "name": row.take("gezin_naam", max_length=200) or name_template % {"surname": surname},
        "street": row.take("straat", max_length=200),
        "postcode": row.take("postcode", as_postcode) or "",
        "city": row.take("plaats", max_length=100),
        "phone": row.take("gezin_telefoon", as_phone) or "",
        "address_secret": row.take("adres_geheim", parse_bool, default=False),
    }


def _known_contacts(school):
    """Numbers and addresses already stored for this school's families were checked when they came in: a file that
    repeats them is not parsed again (phonenumbers costs more than the rest of a row)."""
    phones, emails = {}, {}
    stored = ContactDetail.objects.filter(guardian__guardianships__pupil__school=school).values_list("kind", "value")
    for kind, value in stored.distinct():
        if kind == ContactDetail.Kind.PHONE and len(value) <= 20:
            phones[value] = value
        elif kind == ContactDetail.Kind.EMAIL:
            emails[value] = value
    return {"telefoon": phones, "telefoon_2": phones, "email": emails}


def prepare_families(fileobj, *, school, progress=None, **_options):
    board = school.board
    problems = ProblemLog()
    pupils = pupils_by_key(school)
    guardians, links, gps, first_line = {}, {}, {}, {}
    name_template = _("Gezin %(surname)s")  # translated once, not on every row
    for row in rows(fileobj, COLUMNS, REQUIRED, problems, progress=progress, known=_known_contacts(school)):
        pupil = find_pupil(row, pupils)
        guardian_key = row.take("ouder_key", required=True, max_length=64)
        person = _person(row, board)
        contacts = _contacts(row)
        surname = " ".join(p for p in (person["voorvoegsel"], person["surname"]) if p)
        household = _household(row, board, surname, name_template)
        link = {
            "relation": row.take("relatie", as_relation, required=True),
            "has_authority": row.take("gezag", parse_bool, default=True),
            "may_view": row.take("mag_inzien", parse_bool, default=True),
            "receives_mail": row.take("ontvangt_post", parse_bool, default=True),
            "is_main_caretaker": row.take("hoofdverzorger", parse_bool, default=False),
        }
        gp = (
            row.take("huisarts", max_length=200),
            row.take("huisarts_praktijk", max_length=200),
            row.take("huisarts_telefoon", as_phone) or "",
            row.take("huisarts_straat", max_length=200),
            row.take("huisarts_postcode", as_postcode) or "",
            row.take("huisarts_plaats", max_length=100),
        )
        own = {name: row.take(column, max_length=100) for column, name in PUPIL_COLUMNS if row.raw(column)}
        if not row.ok:
            continue
        if (pupil.pk, guardian_key) in links:
            row.fail(
                "ouder_key",
                guardian_key,
                _("deze leerling en ouder staan al op regel %(line)s")
                % {"line": links[(pupil.pk, guardian_key)]["line"]},
            )
            continue
        if guardian_key in guardians:
            if guardians[guardian_key] != (person, contacts, household):
                row.fail(
                    "ouder_key",
                    guardian_key,
                    _("deze ouder staat op regel %(line)s met andere gegevens") % {"line": first_line[guardian_key]},
                )
                continue
        else:
            guardians[guardian_key], first_line[guardian_key] = (person, contacts, household), row.line
        links[(pupil.pk, guardian_key)] = {
            "line": row.line,
            "pupil": pupil,
            "guardian_key": guardian_key,
            "values": link,
            "gp": gp if gp[0] else None,
            "own": own,
        }

    plan = Plan(rows=len(links), problems=problems)
    household_section = Section(_("gezinnen"), Household)
    guardian_section = Section(_("ouders/verzorgers"), Guardian)
    contact_section = Section(_("contactgegevens"), ContactDetail)
    link_section = Section(_("gezagsrelaties"), Guardianship, fields=LINK_FIELDS, compared=LINK_FIELDS[2:])
    gp_section = Section(_("huisartsen"), GeneralPractitioner)
    pupil_section = Section(_("leerlingen (adres, gezin, huisarts)"), Pupil)
    plan.sections = [household_section, guardian_section, contact_section, link_section, gp_section, pupil_section]

    keys = list(guardians)
    stored_guardians = {g.source_key: g for g in Guardian.objects.filter(board=board, source_key__in=keys)}
    household_keys = [h["source_key"] for _p, _c, h in guardians.values()]
    stored_households = {h.source_key: h for h in Household.objects.filter(board=board, source_key__in=household_keys)}
    stored_contacts = {}
    contacts_stored = ContactDetail.objects.filter(guardian__in=stored_guardians.values()).order_by("pk")
    for guardian_id, *contact in contacts_stored.values_list("guardian_id", "kind", "value", "label", "secret",
                                                             "emergency"):  # fmt: skip
        stored_contacts.setdefault(guardian_id, []).append(tuple(contact))
    household_objects, guardian_objects, households_of, replace_contacts, stale = {}, {}, {}, [], []
    for key, (person, contacts, household) in guardians.items():
        hkey = household["source_key"]
        if hkey not in household_objects:
            household_objects[hkey] = household_section.compare(stored_households.get(hkey), household)
        person["household"] = households_of[key] = household_objects[hkey]
        guardian = guardian_objects[key] = guardian_section.compare(stored_guardians.get(key), person)
        have = stored_contacts.get(guardian.pk, [])
        if have == contacts:
            contact_section.unchanged += len(have)
        else:
            replace_contacts.append((guardian, contacts))
            if have:
                stale.append(guardian.pk)
            target = contact_section.changed if have else contact_section.new
            target.extend(contacts or [()])
            if len(contact_section.samples_changed) < 5:
                contact_section.samples_changed.append(f"{guardian}: {', '.join(c[1] for c in contacts)}")

    stored_links = {
        row[1:3]: (row[0], row[3:])
        for row in stored_rows(
            Guardianship.objects.filter(pupil__school=school, guardian__in=stored_guardians.values()),
            "id",
            *LINK_FIELDS,
        )
    }
    stored_gps = {(g.name, g.practice): g for g in GeneralPractitioner.objects.filter(board=board)}
    pupil_updates = {}

    def describe(row):  # called by compare_row for the link in hand
        return f"{guardian} → {link['pupil']} ({Guardianship.Relation(row[2]).label})"

    for link in links.values():
        guardian = guardian_objects[link["guardian_key"]]
        row = (link["pupil"].pk, guardian.pk or guardian, *(link["values"][name] for name in LINK_FIELDS[2:]))
        link_section.compare_row(stored_links.get(row[:2]) if guardian.pk else None, row, describe=describe)
        update = pupil_updates.setdefault(link["pupil"].pk, {"pupil": link["pupil"]})
        if link["gp"]:
            name, practice, phone, street, postcode, city = link["gp"]
            gp = gps.get((name, practice))
            if gp is None:
                values = {"board": board, "name": name, "practice": practice, "phone": phone}
                values.update(street=street, postcode=postcode, city=city)
                gp = gps[(name, practice)] = gp_section.compare(stored_gps.get((name, practice)), values)
            update["general_practitioner"] = gp
        if link["values"]["is_main_caretaker"] or "household" not in update:
            home = households_of[link["guardian_key"]]
            update.update(
                household=home,
                street=home.street,
                postcode=home.postcode,
                city=home.city,
                address_secret=home.address_secret,
                phone=home.phone,
            )
        update.update(link["own"])
    for update in pupil_updates.values():
        pupil = update.pop("pupil")
        pupil_section.compare(pupil, update)

    def apply():
        household_section.write()
        for guardian in guardian_section.new + guardian_section.changed:
            guardian.household_id = guardian.household.pk
        guardian_section.write()
        gp_section.write()
        if stale:  # the stored contact details that differ from the file's
            ContactDetail.objects.filter(guardian__in=stale).delete()
        contact_rows = [(g.pk, *contact) for g, contacts in replace_contacts for contact in contacts]
        if contact_rows:  # one executemany, in the file's order (the order they are compared in next time)
            insert_rows(ContactDetail, CONTACT_FIELDS, contact_rows)
        link_section.new_rows = with_ids(link_section.new_rows)  # the guardians created just now
        link_section.write()
        pupil_section.write()

    contact_section.write = lambda: None
    plan.apply = apply
    plan.scope = {"general_practitioners": sorted({name for name, _practice in gps})}
    return plan


def families_state(school, scope):
    """What a families file reads and writes for a school (imports.fingerprints). Of the board's general
    practitioners, those with a name the file gave (`scope`, kept when it was applied): another school's file that
    adds its own does not change what this one finds."""
    linked = {"guardianships__pupil__school": school}
    names = scope.get("general_practitioners", [])
    return [
        (Guardianship.objects.filter(pupil__school=school), None),
        (Guardian.objects.filter(**linked).distinct(), None),
        (Household.objects.filter(**{f"guardians__{k}": v for k, v in linked.items()}).distinct(), None),
        (ContactDetail.objects.filter(**{f"guardian__{k}": v for k, v in linked.items()}).distinct(), None),
        (GeneralPractitioner.objects.filter(board=school.board_id, name__in=names), None),
        (Pupil.objects.filter(school=school), None),
    ]
