"""The parent's pages about a child and the family: Start, Personalia, Medisch, Groep, Gezin, School.

Every page reaches pupils only through `school.access` (the guardian's own children, may-view on) and costs a
constant number of queries, whatever the number of children, classmates or contacts (tests/test_query_counts.py).
"""

from collections import Counter

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ouderportaal.core import l10n
from ouderportaal.core.audit import log_action
from ouderportaal.core.prepared import Prepared
from ouderportaal.core.reverse import cached_reverse
from ouderportaal.school.access import (
    contacts_by_guardian,
    emergency_contacts_by_child,
    family_guardianships,
    guardian_children,
    parent_page,
)
from ouderportaal.school.group import attach_current_enrolments, current_enrolment, group_names
from ouderportaal.school.models import MedicalInfo, Pupil
from ouderportaal.school.pages import CHILD_TABS, render_child_page
from ouderportaal.school.privacy import contact_view_for, pupil_address_for, viewer_guardian

# --- Pages ---


@parent_page
@require_safe
def home(request):
    pupils = guardian_children(request)
    if len(pupils) == 1:
        return redirect("pupil_personalia", pupils[0].public_id)
    if not pupils and request.user.staff_roles.exists():
        # School staff without children here start in the back-office (the login lands here too).
        return redirect("backoffice:home")
    attach_current_enrolments(request.user, pupils)
    for pupil in pupils:
        pupil.tabs = [{"url": cached_reverse(name, pupil.public_id), "label": label} for name, label in CHILD_TABS]
    return render(request, "school/home.html", {"pupils": pupils, "section": "children"})


@parent_page
@require_safe
def personalia(request, pupil):
    # The viewer's own record matters only for a secret address: asked only then.
    address = pupil_address_for(lambda: viewer_guardian(request.user), pupil)
    return render_child_page(
        request,
        pupil,
        "pupil_personalia",
        "school/personalia.html",
        {"enrolment": current_enrolment(pupil), "address": address},
    )


# Its SQL built once per process (core/prepared.py): like the children query, the ORM's work cost more than the answer.
_medical_info = Prepared(
    MedicalInfo, lambda pupil: MedicalInfo.objects.filter(pupil=pupil), probe=lambda pk: Pupil(pk=pk)
)


@parent_page
@require_safe
def medical(request, pupil):
    found = _medical_info(pupil)  # one row at most (one-to-one)
    info = found[0] if found else None
    log_action(request.user, "pupil.medical.read", pupil)
    return render_child_page(request, pupil, "pupil_medical", "school/medical.html", {"info": info})


@parent_page
@require_safe
def group(request, pupil):
    enrolment = current_enrolment(pupil)
    # Samengestelde groepen (a plusklas, a reading group): named only, never their members. Classmates: names only.
    composite_groups, teachers, classmates = group_names(pupil) if enrolment is not None else ([], [], [])
    context = {
        "enrolment": enrolment,
        "teachers": teachers,
        "classmates": classmates,
        "composite_groups": composite_groups,
    }
    return render_child_page(request, pupil, "pupil_group", "school/group.html", context)


@parent_page
@require_safe
def family(request):
    pupils = guardian_children(request, "general_practitioner")
    # Every guardian of the children with their guardianships, in three queries with the emergency numbers, each
    # built once per process (school.access); none when there are no children.
    guardians = {}
    for ship in family_guardianships(request):
        guardian = guardians.setdefault(ship.guardian_id, ship.guardian)
        if guardian is ship.guardian:
            guardian.visible_guardianships = []
        guardian.visible_guardianships.append(ship)
    viewer = next((g for g in guardians.values() if g.user_id == request.user.pk), None)
    contact_details = contacts_by_guardian(request) if guardians else {}
    emergency_numbers = emergency_contacts_by_child(request) if pupils else {}
    cards = {}  # household pk (None: guardians without a household) -> card
    for guardian in guardians.values():
        view = contact_view_for(viewer, guardian, contact_details.get(guardian.pk, []))
        card = cards.setdefault(
            guardian.household_id,
            {
                "name": guardian.household.name if guardian.household else "",
                "address": view.household,
                "address_hidden": view.address_hidden,
                "is_own": bool(viewer and guardian.household_id and guardian.household_id == viewer.household_id),
                "guardians": [],
                "children": [],
            },
        )
        card["guardians"].append(view)
        # "moeder van Daan en Lotte", not "moeder van Daan, moeder van Lotte".
        view.relations = [
            {"relation": relation, "names": names_list(names)}
            for relation, names in shared(
                guardian.visible_guardianships, lambda s: (s.relation, l10n.label(s, "relation"), s.pupil.roepnaam)
            )
        ]
    other_children = []
    for pupil in pupils:
        if pupil.household_id is not None and pupil.household_id in cards:
            cards[pupil.household_id]["children"].append(pupil)
        else:
            other_children.append(pupil)
    cards = sorted(cards.values(), key=lambda c: (not c["is_own"], not c["name"], c["name"]))
    # Two households of the same name ("Gezin de Vries" after a divorce) are told apart by who lives there.
    repeated = Counter(card["name"] for card in cards)
    for card in cards:
        if card["name"] and repeated[card["name"]] > 1:
            card["who"] = names_list(view.guardian.full_name for view in card["guardians"])
    # One card per doctor and per list of emergency numbers, naming the children it is for: brothers and sisters
    # usually share them, and the page would repeat them per child.
    gps = shared(pupils, lambda p: (p.general_practitioner_id, p.general_practitioner, p.roepnaam))
    emergency = shared(
        pupils,
        lambda p: (
            tuple((c.name, c.relation, c.phone) for c in emergency_numbers.get(p.pk, [])),
            emergency_numbers.get(p.pk, []),
            p.roepnaam,
        ),
    )
    context = {
        "cards": cards,
        "other_children": other_children,
        "pupils": pupils,
        "general_practitioners": [{"gp": gp, "children": names_list(names)} for gp, names in gps],
        "emergency_contacts": [{"contacts": contacts, "children": names_list(names)} for contacts, names in emergency],
        "section": "family",
    }
    return render(request, "school/family.html", context)


def shared(items, key):
    """[(value, [name, ...])]: the items grouped by what they share. `key(item)` is (what is compared, the value to
    show, the item's name); the groups keep the order of their first item."""
    groups = {}
    for item in items:
        compared, value, name = key(item)
        groups.setdefault(compared, (value, []))[1].append(name)
    return list(groups.values())


def names_list(names):
    """Names joined the Dutch way: "Daan", "Daan en Lotte", "Daan, Lotte en Sem"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s en %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


@parent_page
@require_safe
def schools(request):
    # The children's schools, from the children the request has loaded anyway (the navigation's badges need them).
    schools = sorted(
        {child.school for child in guardian_children(request)}, key=lambda school: (school.name, school.pk)
    )
    return render(request, "school/schools.html", {"schools": schools, "section": "school"})
