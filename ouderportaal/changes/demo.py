"""Demo change requests, so /beheer/wijzigingen/ is not empty: proposals by the demo co-parent (`ouder2`); at board
scale a history of proposals of every family (`add_change_history`)."""

import datetime

from django.db.models import F
from django.utils import timezone

from ouderportaal.changes import sections, services
from ouderportaal.changes.models import ChangeField, ChangeRequest, Section
from ouderportaal.school.models import Guardian, Guardianship, Pupil

NOON = datetime.time(12)


def add_demo_changes(board):
    """A few pending proposals of different sections; returns how many were made."""
    guardian = Guardian.objects.filter(board=board, user__username="ouder2").select_related("user", "household").first()
    if guardian is None:
        return 0
    user = guardian.user
    pupils = [p for p in Pupil.objects.for_guardian(user).select_related("school") if services.has_authority(user, p)]
    if not pupils:
        return 0
    made = 0

    def propose(section, changes, **kw):
        nonlocal made
        services.propose_change(acting_user=user, guardian=guardian, section=section, changes=changes, **kw)
        made += 1

    school = pupils[0].school
    contacts = sections.current_values(Section.CONTACTS, guardian=guardian)
    phone = next((key for key, value in contacts.items() if value["kind"] == "phone"), None)
    if phone is not None:
        propose(
            Section.CONTACTS, {phone: (contacts[phone], {**contacts[phone], "value": "06 4123 9876"})}, school=school
        )
    if guardian.household is not None:
        current = sections.current_values(Section.HOUSEHOLD, household=guardian.household)
        new = {"street": "Lindelaan 14", "postcode": "3582 KL", "city": "Utrecht"}
        changes = {key: (current[key], value) for key, value in new.items()}
        propose(Section.HOUSEHOLD, changes, school=school, household=guardian.household)
    youngest = pupils[-1]
    medical = sections.current_values(Section.MEDICAL, pupil=youngest)
    allergies = (medical["allergies"] + "\n" if medical["allergies"] else "") + "Hooikoorts (voorjaar)"
    propose(Section.MEDICAL, {"allergies": (medical["allergies"], allergies)}, school=youngest.school, pupil=youngest)
    return made


# A board's proposals of the years before: what a parent changes (a child's call name, an allergy, the home phone, the
# GP's practice), mostly applied, some rejected or withdrawn, a few still waiting for the administration.
HISTORY = [
    (Section.PERSONAL, "roepnaam", "Sem"),
    (Section.MEDICAL, "allergies", "Pinda's"),
    (Section.HOUSEHOLD, "phone", "033 765 4321"),
    (Section.GP, "practice", "Huisartsenpraktijk De Linde"),
]
CHILD_HISTORY = [change for change in HISTORY if change[0] != Section.HOUSEHOLD]  # for a family without a household
HISTORY_STATUSES = [ChangeRequest.Status.APPLIED] * 17 + [
    ChangeRequest.Status.REJECTED,
    ChangeRequest.Status.WITHDRAWN,
    ChangeRequest.Status.PENDING,
]


def add_change_history(guardians, *, rng, today, decided_by=None, per_household=2, years=3):
    """About `per_household` proposals per household of `guardians` (with logins) over the last `years`, as the
    administration (`decided_by`) left them: at board scale every parent page's pending-changes query meets tens of
    thousands of proposals. Returns how many were made."""
    ships = list(
        Guardianship.objects.filter(guardian__in=guardians, guardian__user__isnull=False)
        .order_by("guardian__household_id", "guardian_id", "pupil_id")
        .values_list("guardian_id", "guardian__user_id", "guardian__household_id", "pupil_id", "pupil__school_id")
    )
    households = {}  # a guardian without a household is a family of their own
    for ship in ships:
        households.setdefault(ship[2] or ("guardian", ship[0]), []).append(ship)
    requests, fields = [], []
    for household_ships in households.values():
        for _ in range(per_household):
            guardian_id, user_id, household_id, pupil_id, school_id = rng.choice(household_ships)
            section, key, value = rng.choice(HISTORY if household_id else CHILD_HISTORY)
            status = rng.choice(HISTORY_STATUSES)
            when = timezone.make_aware(
                datetime.datetime.combine(today - datetime.timedelta(days=rng.randrange(1, 365 * years)), NOON)
            )
            requests.append(
                ChangeRequest(
                    school_id=school_id, section=section, guardian_id=guardian_id, proposed_by_id=user_id,
                    pupil_id=None if section == Section.HOUSEHOLD else pupil_id,
                    household_id=household_id if section == Section.HOUSEHOLD else None,
                    status=status, decided_at=None if status == ChangeRequest.Status.PENDING else when,
                    decided_by=None if status == ChangeRequest.Status.PENDING else decided_by,
                )
            )  # fmt: skip
            fields.append((key, value, status))
    made = ChangeRequest.objects.bulk_create(requests, batch_size=2000)
    ChangeField.objects.bulk_create(
        [
            ChangeField(change_request=request, key=key, old_value="", new_value=value, status=status)
            for request, (key, value, status) in zip(made, fields, strict=True)
        ],
        batch_size=2000,
    )
    # created_at is set on insert (auto_now_add): a decided proposal was made some days before its decision.
    ChangeRequest.objects.filter(pk__in=[r.pk for r in made], decided_at__isnull=False).update(
        created_at=F("decided_at") - datetime.timedelta(days=3)
    )
    return len(made)
