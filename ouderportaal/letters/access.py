"""Who may see which letter: the one place for the parent pages and for the back-office."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404

from ouderportaal.core.prepared import Prepared
from ouderportaal.letters.models import Letter, LetterRecipient
from ouderportaal.school.models import School


def received_letters(user):
    """The recipient rows of the letters sent to this user's guardian record, newest first."""
    if not user.is_authenticated:
        return LetterRecipient.objects.none()
    return (
        LetterRecipient.objects.filter(guardian__user=user, letter__status=Letter.Status.SENT)
        .select_related("letter")
        .order_by("-letter__sent_at", "-pk")
    )


# The Berichten list and a letter opened from it: received_letters with each letter's school, their SQL built once per
# process (core/prepared.py).
_with_school = {"related": ("letter", "letter__school"), "probe": lambda pk: get_user_model()(pk=pk)}
_received_list = Prepared(LetterRecipient, received_letters, **_with_school)
_received_one = Prepared(
    LetterRecipient,
    lambda user, letter_id: received_letters(user).filter(letter__public_id=letter_id),
    **_with_school,
    texts=1,
)


def received_list(user):
    """The recipient rows of every letter sent to this user, newest first, each with its letter and the school."""
    return _received_list(user) if user.is_authenticated else []


def get_received_or_404(user, letter_id):
    """This user's recipient row of one letter (by its public id), with the letter and the school; else 404."""
    recipients = _received_one(user, letter_id) if user.is_authenticated else []
    if not recipients:
        raise Http404("Geen brief")
    return recipients[0]


def sender_roles():
    # Who may write and send letters: StaffRole roles named in LETTER_SENDER_ROLES (director and administration).
    return list(settings.LETTER_SENDER_ROLES)


def sender_schools(user):
    """The schools where this user may write, send and follow letters."""
    return School.objects.filter(staff_roles__user=user, staff_roles__role__in=sender_roles()).distinct()
