"""The parent's Berichten: every letter sent to them, the letter itself, and its attachments."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ouderportaal.core.prepared import Prepared
from ouderportaal.letters import services
from ouderportaal.letters.access import get_received_or_404, received_list
from ouderportaal.letters.files import attachment_response
from ouderportaal.letters.models import Letter, LetterAttachment
from ouderportaal.school.access import parent_page

# A letter's attachments, its SQL built once per process (core/prepared.py).
_attachments = Prepared(LetterAttachment, lambda letter: letter.attachments.all(), probe=lambda pk: Letter(pk=pk))


@parent_page
@require_safe
def letters(request):
    rows = received_list(request.user)
    unread = sum(1 for row in rows if row.read_at is None)
    return render(request, "letters/letters.html", {"rows": rows, "unread": unread, "section": "letters"})


@parent_page
@require_safe
def letter(request, letter_id):
    recipient = get_received_or_404(request.user, letter_id)
    services.mark_read(recipient)
    context = {
        "letter": recipient.letter,
        "attachments": _attachments(recipient.letter),
        "download_url": "letters:attachment",
        "section": "letters",
    }
    return render(request, "letters/letter.html", context)


@parent_page
@require_safe
def attachment(request, letter_id, attachment_id):
    recipient = get_received_or_404(request.user, letter_id)
    return attachment_response(get_object_or_404(LetterAttachment, letter=recipient.letter, public_id=attachment_id))
