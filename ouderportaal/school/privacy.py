"""The one place that decides what a guardian sees of another guardian's address and numbers."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from ouderportaal.core.prepared import Prepared
from ouderportaal.school.models import Guardian


def address_visible_to(viewer, household, *, secret=None):
    """A secret address is shown only to the guardians who live at it; any other address to every guardian.

    `viewer` is the logged-in Guardian (or None), or a function returning it, asked only for a secret address;
    `secret` overrides the household's own flag (a pupil's address carries its own flag).
    """
    if household is None:
        return not secret
    secret = household.address_secret if secret is None else secret
    if not secret:
        return True
    viewer = viewer() if callable(viewer) else viewer
    return viewer is not None and viewer.household_id == household.pk


@dataclass
class ContactView:
    guardian: Guardian
    household: object  # the Household whose address may be shown, or None
    address_hidden: bool
    contacts: list = field(default_factory=list)
    is_viewer: bool = False


def contact_view_for(viewer, guardian, contacts=None):
    """What `viewer` (a Guardian or None) may see of `guardian` and of `contacts`, the guardian's contact details
    (default: all of them): a secret contact detail only when it is the viewer's own, a secret household address
    only when the viewer lives there."""
    is_viewer = viewer is not None and viewer.pk == guardian.pk
    if contacts is None:
        contacts = guardian.contacts.all()
    household = guardian.household
    shown = household is not None and address_visible_to(viewer, household)
    return ContactView(
        guardian=guardian,
        household=household if shown else None,
        address_hidden=household is not None and not shown,
        contacts=[c for c in contacts if is_viewer or not c.secret],
        is_viewer=is_viewer,
    )


def pupil_address_for(viewer, pupil):
    """The child's own address if it has one, else its household's; None when secret for this viewer — and then
    the child's phone number is secret with it (a number leads to the address). `viewer` as for
    address_visible_to: a function spares the viewer's query when nothing is secret."""
    if pupil.street or pupil.city:
        if not address_visible_to(viewer, pupil.household, secret=pupil.address_secret):
            return None
        return {"street": pupil.street, "postcode": pupil.postcode, "city": pupil.city}
    household = pupil.household
    if household is None or not (household.street or household.city):
        return {}
    if not address_visible_to(viewer, household, secret=household.address_secret or pupil.address_secret):
        return None
    return {"street": household.street, "postcode": household.postcode, "city": household.city}


# SQL built once per process (core/prepared.py): several parent pages ask it.
_viewer = Prepared(
    Guardian, lambda user: Guardian.objects.filter(user=user), ("household",), probe=lambda pk: get_user_model()(pk=pk)
)


def viewer_guardian(user):
    """The logged-in user's Guardian record (with its household), or None."""
    if not user.is_authenticated:
        return None
    found = _viewer(user)
    return found[0] if found else None
