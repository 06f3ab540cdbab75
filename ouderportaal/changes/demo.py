"""Demo change requests, so /beheer/wijzigingen/ is not empty: proposals by the demo co-parent (`ouder2`)."""

from ouderportaal.changes import sections, services
from ouderportaal.changes.models import Section
from ouderportaal.school.models import Guardian, Pupil


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
