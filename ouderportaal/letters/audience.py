"""Who a letter goes to: the guardians of the pupils in its audience who may view the child and want mail, each
once, with the address the school has for them. Read as plain values: a letter may go to thousands of guardians."""

from dataclasses import dataclass, field

from django.utils import timezone

from ouderportaal.letters.models import Letter
from ouderportaal.school.models import ContactDetail, Enrolment, Guardianship, Pupil, SchoolYear


@dataclass
class Addressee:
    guardian_id: int
    name: str
    email: str
    language: str
    children: list = field(default_factory=list)

    @property
    def children_text(self):
        return ", ".join(self.children)[:500]


def audience_pupils(letter, today=None):
    today = today or timezone.localdate()
    pupils = Pupil.objects.filter(school_id=letter.school_id).enrolled(today)
    if letter.audience == Letter.Audience.GROUPS:
        pupils = pupils.filter(enrolments__group__in=letter.groups.all())
    elif letter.audience == Letter.Audience.PUPILS:
        pupils = pupils.filter(pk__in=letter.pupils.all())
    return pupils


def resolve(letter, today=None):
    """The addressees, ordered by name; a guardian with several children in the audience appears once.

    The pupils' and guardians' ids are read first and passed as plain lists (in chunks): nested subqueries made
    PostgreSQL pick nested loops on freshly imported tables (minutes for 10,000 guardians).
    """
    today = today or timezone.localdate()
    pupil_ids = list(audience_pupils(letter, today).values_list("pk", flat=True).distinct())
    ships = []
    for ids in _chunks(pupil_ids):
        ships += Guardianship.objects.filter(pupil_id__in=ids, may_view=True, receives_mail=True).values_list(
            "guardian_id",
            "guardian__first_name",
            "guardian__voorvoegsel",
            "guardian__surname",
            "guardian__user__email",
            "guardian__user__is_active",
            "guardian__user__language",
            "pupil_id",
            "pupil__roepnaam",
        )
    ships.sort(key=lambda s: (s[3].lower(), s[1].lower(), s[0], s[8]))
    guardian_ids = sorted({s[0] for s in ships})
    # The first email address on record per guardian (the emergency one first), for guardians without an account.
    recorded = {}
    for ids in _chunks(guardian_ids):
        contacts = ContactDetail.objects.filter(kind=ContactDetail.Kind.EMAIL, guardian_id__in=ids)
        for guardian_id, value in contacts.order_by("guardian_id", "-emergency", "pk").values_list(
            "guardian_id", "value"
        ):
            recorded.setdefault(guardian_id, value)
    year = SchoolYear.start_year_for(today)
    group_of = {}
    for ids in _chunks(pupil_ids):
        enrolments = Enrolment.objects.filter(pupil_id__in=ids, school_year__start_year=year)
        group_of.update(enrolments.values_list("pupil_id", "group__name"))
    found = {}
    for guardian_id, first, voorvoegsel, surname, user_email, active, language, pupil_id, roepnaam in ships:
        if guardian_id not in found:
            name = " ".join(p for p in (first, voorvoegsel, surname) if p)
            email = user_email if user_email and active else recorded.get(guardian_id, "")
            found[guardian_id] = Addressee(guardian_id, name[:200], email, language or "nl")
        found[guardian_id].children.append(f"{roepnaam} ({group_of[pupil_id]})" if pupil_id in group_of else roepnaam)
    return list(found.values())


def _chunks(ids, size=5000):
    # SQLite limits the number of query parameters; a school fits in one or two chunks.
    return [ids[start : start + size] for start in range(0, len(ids), size)]
