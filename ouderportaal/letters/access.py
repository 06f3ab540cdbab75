"""Who may see which letter: the one place for the parent pages and for the back-office."""

from django.conf import settings
from django.http import Http404

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


def get_received_or_404(user, letter_id):
    recipient = received_letters(user).select_related("letter__school").filter(letter__public_id=letter_id).first()
    if recipient is None:
        raise Http404("Geen brief")
    return recipient


def sender_roles():
    # Who may write and send letters: StaffRole roles named in LETTER_SENDER_ROLES (director and administration).
    return list(settings.LETTER_SENDER_ROLES)


def sender_schools(user):
    """The schools where this user may write, send and follow letters."""
    return School.objects.filter(staff_roles__user=user, staff_roles__role__in=sender_roles()).distinct()
