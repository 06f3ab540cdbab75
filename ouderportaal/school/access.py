"""The one authorisation path of the parent pages: a guardian reaches only their own children."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from ouderportaal.core.pages import PARENT, mark, refuse_nul
from ouderportaal.core.prepared import Prepared
from ouderportaal.core.securitylog import event
from ouderportaal.school.models import ContactDetail, EmergencyContact, Guardianship, Pupil


def visible_pupils(user):
    return Pupil.objects.for_guardian(user)


def user_probe(pk):
    return get_user_model()(pk=pk)


# The queries the parent pages run, each with its SQL built once per process from visible_pupils
# (core/prepared.py): the children (with more foreign keys joined where a page asks), and the family page's and
# Account's guardianships, contact details and emergency numbers of those children.
_children = {}


def guardian_children(request, *related):
    """The guardian's own children, loaded once a request: the access check, the child switcher, the start and
    school pages and the navigation's badges share them. `related`: more foreign keys to join when this is the
    first call of the request (the family page's doctor)."""
    if not hasattr(request, "_guardian_children"):
        if not request.user.is_authenticated:
            children = []
        else:
            related = ("school", "household", *related)
            if related not in _children:
                _children[related] = Prepared(Pupil, visible_pupils, related=related, probe=user_probe)
            children = _children[related](request.user)
        request._guardian_children = children
    return request._guardian_children


_guardianships = Prepared(
    Guardianship,
    # Per guardian (in the guardians' order), then in the children's order: "moeder van Daan en Lotte".
    lambda user: Guardianship.objects.filter(pupil__in=visible_pupils(user)).order_by(
        "guardian__surname", "guardian__first_name", "guardian_id", "pupil__surname", "pupil__roepnaam", "pk"
    ),
    related=("guardian", "guardian__household"),
    probe=user_probe,
)


def family_guardianships(request):
    """Every guardianship of the guardian's own children — theirs and those of the children's other parents and
    carers — each with its guardian and household and its pupil from guardian_children(): loaded once a request."""
    if not hasattr(request, "_family_guardianships"):
        children = {child.pk: child for child in guardian_children(request)}
        # A child added between the two queries waits for the next request.
        ships = [ship for ship in (_guardianships(request.user) if children else []) if ship.pupil_id in children]
        for ship in ships:
            ship.pupil = children[ship.pupil_id]
        request._family_guardianships = ships
    return request._family_guardianships


_family_contacts = Prepared(
    ContactDetail,
    lambda user: ContactDetail.objects.filter(
        guardian__in=Guardianship.objects.filter(pupil__in=visible_pupils(user)).values("guardian_id")
    ),
    probe=user_probe,
)
_own_contacts = Prepared(
    ContactDetail, lambda user: ContactDetail.objects.filter(guardian__user=user), probe=user_probe
)
_emergency_contacts = Prepared(
    EmergencyContact, lambda user: EmergencyContact.objects.filter(pupil__in=visible_pupils(user)), probe=user_probe
)


def contacts_by_guardian(request, own=False):
    """{guardian id: [ContactDetail]}: of every guardian of the guardian's children, or (`own`) the guardian's
    own. Every one, secret ones too: what another guardian may see of them is school.privacy's to say."""
    contacts = {}
    if request.user.is_authenticated:
        for contact in (_own_contacts if own else _family_contacts)(request.user):
            contacts.setdefault(contact.guardian_id, []).append(contact)
    return contacts


def emergency_contacts_by_child(request):
    """{pupil id: [EmergencyContact]} of the guardian's own children."""
    contacts = {}
    if request.user.is_authenticated:
        for contact in _emergency_contacts(request.user):
            contacts.setdefault(contact.pupil_id, []).append(contact)
    return contacts


def parent_page(view):
    """Login required; a `public_id` URL argument becomes `pupil`, the guardian's own child, or 404."""

    @wraps(view)
    def wrapper(request, *args, public_id=None, **kwargs):
        refuse_nul(kwargs)  # a letter's id goes to the database (the child's is matched here)
        if public_id is not None:
            # One query for all of the guardian's children (a family has a handful) instead of one for the
            # child and another for the switcher.
            pupil = next((c for c in guardian_children(request) if c.public_id == public_id), None)
            if pupil is None:
                event("access.denied", request)  # another family's child, or a made-up address
                raise Http404("Geen leerling")
            kwargs["pupil"] = pupil
        return view(request, *args, **kwargs)

    # Personal data: never kept in a browser's or proxy's cache.
    return mark(never_cache(login_required(wrapper)), PARENT)
