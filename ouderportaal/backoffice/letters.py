"""The back-office's letters: compose, preview, send or schedule, drafts, and proof of delivery (/beheer/brieven/).
Only staff whose role may send letters (letters.access.sender_schools) reach these pages."""

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.backoffice.access import staff_page
from ouderportaal.core.emails import render_mail
from ouderportaal.letters import audience, delivery, services
from ouderportaal.letters.access import sender_schools
from ouderportaal.letters.files import attachment_response
from ouderportaal.letters.forms import LetterForm, SendForm
from ouderportaal.letters.models import Letter, LetterAttachment

BODY = re.compile(r"<body>(.*)</body>", re.S)


def _schools(request):
    schools = sender_schools(request.user)
    if not schools.exists():
        raise Http404("Geen school waar u brieven verstuurt")
    return schools


def _letter(request, letter_id):
    return get_object_or_404(
        Letter.objects.filter(school__in=_schools(request)).select_related("school", "created_by", "sent_by"),
        public_id=letter_id,
    )


@staff_page
@require_safe
def letters(request):
    schools = _schools(request)
    all_letters = Letter.objects.filter(school__in=schools).select_related("school")
    context = {
        "drafts": all_letters.filter(status=Letter.Status.DRAFT).order_by("-updated_at"),
        "scheduled": all_letters.filter(status=Letter.Status.SCHEDULED).order_by("send_at"),
        "sent": all_letters.filter(status=Letter.Status.SENT).order_by("-sent_at")[:50],
        "several_schools": schools.count() > 1,
        "section": "backoffice",
    }
    return render(request, "backoffice/letters.html", context)


def _compose(request, letter=None):
    schools = _schools(request).order_by("name")
    form = LetterForm(request.POST or None, request.FILES or None, schools=schools, letter=letter)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.save_draft(
                acting_user=request.user,
                letter=letter,
                school=data["school"],
                subject=data["subject"],
                body_html=data["body_html"],
                audience_kind=data["audience"],
                groups=data["groups"],
                pupils=data["pupils"],
                new_files=data["attachments"],
                remove_attachments=data.get("remove_attachments") or [],
            )
        except services.LetterError as error:
            messages.error(request, str(error))
            return redirect("backoffice:letter", letter_id=letter.public_id)
        messages.success(request, _("Het concept is opgeslagen."))
        if request.POST.get("next") == "preview":
            return redirect("backoffice:letter", letter_id=letter.public_id)
        return redirect("backoffice:letter_edit", letter_id=letter.public_id)
    context = {"form": form, "letter": letter, "section": "backoffice"}
    return render(request, "backoffice/letter_form.html", context)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def letter_new(request):
    return _compose(request)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def letter_edit(request, letter_id):
    letter = _letter(request, letter_id)
    if letter.status != Letter.Status.DRAFT:
        messages.error(request, _("Deze brief is al verstuurd of ingepland en kan niet meer worden gewijzigd."))
        return redirect("backoffice:letter", letter_id=letter.public_id)
    return _compose(request, letter)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def letter(request, letter_id):
    """The preview: the letter as the parent sees it in the portal and in the mail; its actions (send or schedule,
    withdraw a schedule, delete a draft) post here."""
    letter = _letter(request, letter_id)
    if letter.is_sent:
        return redirect("backoffice:letter_delivery", letter_id=letter.public_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "send":
        return _send(request, letter)
    if action in ("unschedule", "delete"):
        try:
            if action == "unschedule":
                services.unschedule_letter(letter=letter, acting_user=request.user)
                messages.success(request, _("De brief is niet meer ingepland; hij staat weer bij de concepten."))
            else:
                services.delete_draft(letter=letter, acting_user=request.user)
                messages.success(request, _("Het concept is verwijderd."))
                return redirect("backoffice:letters")
        except services.LetterError as error:
            messages.error(request, str(error))
        return redirect("backoffice:letter", letter_id=letter.public_id)
    return _preview(request, letter, SendForm())


def _preview(request, letter, send_form):
    addressees = audience.resolve(letter)
    subject, body_text, body_html = render_mail("letter", context=services.mail_context(letter))
    match = BODY.search(body_html)
    context = {
        "letter": letter,
        "attachments": letter.attachments.all(),
        "download_url": "backoffice:letter_attachment",
        "recipient_count": len(addressees),
        "without_address": sum(1 for a in addressees if not a.email),
        "mail_subject": subject,
        "mail_text": body_text,
        "mail_html": match[1] if match else "",
        "send_form": send_form,
        "section": "backoffice",
    }
    return render(request, "backoffice/letter_preview.html", context)


def _send(request, letter):
    form = SendForm(request.POST)
    if not form.is_valid():
        return _preview(request, letter, form)
    try:
        if form.cleaned_data["when"] == "later":
            services.schedule_letter(letter=letter, acting_user=request.user, send_at=form.cleaned_data["send_at"])
            messages.success(request, _("De brief is ingepland."))
            return redirect("backoffice:letter", letter_id=letter.public_id)
        count = services.send_letter(letter=letter, acting_user=request.user)
    except services.LetterError as error:
        form.add_error(None, str(error))
        return _preview(request, letter, form)
    messages.success(request, _("De brief is verstuurd naar %(count)s ouders/verzorgers.") % {"count": count})
    return redirect("backoffice:letter_delivery", letter_id=letter.public_id)


def _delivery(request, letter):
    days = delivery.unread_days(request.GET.get("dagen"))
    rows, counts = delivery.report(letter, letter.recipients.select_related("mail"), days=days)
    return letter, rows, counts, days


@staff_page
@require_safe
def letter_delivery(request, letter_id):
    letter = _letter(request, letter_id)
    if not letter.is_sent:
        # A draft or a scheduled letter has no delivery yet: its preview page.
        return redirect("backoffice:letter", letter_id=letter.public_id)
    letter, rows, counts, days = _delivery(request, letter)
    show = request.GET.get("toon")
    shown = [row for row in rows if row.not_reached] if show == "niet-bereikt" else rows
    context = {
        "letter": letter,
        "rows": shown,
        "counts": counts,
        "days": days,
        "show": show,
        "attachments": letter.attachments.all(),
        "section": "backoffice",
    }
    return render(request, "backoffice/letter_delivery.html", context)


@staff_page
@require_safe
def letter_not_reached(request, letter_id):
    """A print-friendly list of the families this letter did not reach, to hand a paper copy."""
    letter = _letter(request, letter_id)
    if not letter.is_sent:
        return redirect("backoffice:letter", letter_id=letter.public_id)
    letter, rows, counts, days = _delivery(request, letter)
    context = {"letter": letter, "rows": [r for r in rows if r.not_reached], "days": days, "counts": counts}
    return render(request, "backoffice/letter_not_reached.html", context)


@staff_page
@require_safe
def letter_attachment(request, letter_id, attachment_id):
    letter = _letter(request, letter_id)
    return attachment_response(get_object_or_404(LetterAttachment, letter=letter, public_id=attachment_id))
