"""Demo letters: two sent letters (the second with a PDF) with their delivery, and one draft."""

import datetime
import zlib

from django.core.files.base import ContentFile
from django.utils import timezone

from ouderportaal.core.models import OutgoingMail
from ouderportaal.letters import services
from ouderportaal.letters.models import Letter, LetterRecipient
from ouderportaal.school.models import Group, SchoolYear

NEWSLETTER = """<p>Beste ouders en verzorgers,</p>
<p>December is begonnen, en dat merken we in de hele school. Hieronder het belangrijkste van deze maand.</p>
<h2>Agenda</h2>
<ul><li><strong>5 december</strong>: Sinterklaasviering, de kinderen zijn om 12.00 uur vrij.</li>
<li><strong>18 december</strong>: kerstdiner in de eigen groep, van 17.30 tot 19.00 uur.</li>
<li><strong>19 december</strong>: laatste schooldag voor de vakantie, om 12.00 uur uit.</li></ul>
<h2>Gevonden voorwerpen</h2>
<p>De bak met gevonden voorwerpen staat tot de vakantie bij de hoofdingang. Wat daarna overblijft gaat naar de
kringloopwinkel.</p>
<p>Met vriendelijke groet,<br>namens het team,<br>de directie</p>"""

CAMP = """<p>Beste ouders en verzorgers van groep 7,</p>
<p>Van woensdag 13 tot en met vrijdag 15 mei gaat groep 7 op kamp naar de Veluwe. In de bijlage leest u het
programma, de paklijst en de telefoonnummers voor noodgevallen.</p>
<p>Wilt u <strong>vóór 1 februari</strong> de eigen bijdrage van € 95 overmaken? Kan dat lastig voor u zijn, neem dan
gerust contact op met de directie: niemand blijft thuis vanwege geld.</p>
<p>Met vriendelijke groet,<br>de leerkrachten van groep 7</p>"""

DRAFT = """<p>Beste ouders en verzorgers,</p>
<p>Op donderdag 18 december vieren we kerst met een diner in de groepen. Wilt u op de intekenlijst bij de klas
aangeven wat u wilt maken?</p>"""


def tiny_pdf(lines):
    """A valid one-page PDF with the given lines of text (Helvetica), for the demo's attachment."""
    text = "BT /F1 14 Tf 72 760 Td 18 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines
    )
    stream = zlib.compress(text.encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


CAMP_PDF = [
    "Schoolkamp groep 7 - Veluwe, 13 tot en met 15 mei",
    "",
    "Vertrek woensdag 8.30 uur vanaf het schoolplein; terug vrijdag rond 15.00 uur.",
    "Paklijst: slaapzak, kussensloop, hoeslaken, toiletspullen, laarzen, regenjas,",
    "zaklamp, een setje extra kleren en een lunchpakket voor de eerste dag.",
    "Geen telefoons, tablets of snoep mee: daar zorgen wij voor.",
    "Medicijnen in een zakje met naam en gebruiksaanwijzing aan de leerkracht geven.",
    "Noodnummer tijdens het kamp: 06 1234 5678 (juf Sanne).",
]


def _delivered(letter, sent_at, *, read_share, rng_seed):
    """Mark the demo's mail as delivered (one address bounced) and a share of the families as having read it."""
    recipients = list(letter.recipients.select_related("mail").order_by("pk"))
    mails = [r.mail_id for r in recipients if r.mail_id]
    OutgoingMail.objects.filter(pk__in=mails).update(status=OutgoingMail.Status.SENT, sent_at=sent_at, attempts=1)
    if mails:
        OutgoingMail.objects.filter(pk=mails[len(mails) // 2]).update(
            status=OutgoingMail.Status.FAILED,
            sent_at=None,
            last_error="SMTPRecipientsRefused: 550 5.1.1 The email account that you tried to reach does not exist",
        )
    readers = [r.pk for i, r in enumerate(recipients) if (i * 7 + rng_seed) % 100 < read_share * 100]
    LetterRecipient.objects.filter(pk__in=readers).update(read_at=sent_at + datetime.timedelta(hours=3))


def add_demo_letters(school, staff, *, parent=None, now=None):
    """Two sent letters of `school` (a newsletter to everyone; a camp letter with a PDF to group 7) and a draft.
    The demo `parent` has read the newsletter and not yet the camp letter."""
    now = now or timezone.now()
    sent_on = now - datetime.timedelta(days=9)
    newsletter = services.save_draft(
        acting_user=staff,
        school=school,
        subject="Nieuwsbrief december",
        body_html=NEWSLETTER,
        audience_kind=Letter.Audience.SCHOOL,
        groups=[],
        pupils=[],
    )
    services.send_letter(letter=newsletter, acting_user=staff, now=sent_on)
    _delivered(newsletter, sent_on, read_share=0.7, rng_seed=3)

    year = SchoolYear.start_year_for(timezone.localdate(now))
    group7 = Group.objects.filter(school=school, school_year__start_year=year, year_levels="7").first()
    camp_on = now - datetime.timedelta(days=2)
    camp = services.save_draft(
        acting_user=staff,
        school=school,
        subject="Schoolkamp groep 7",
        body_html=CAMP,
        audience_kind=Letter.Audience.GROUPS if group7 else Letter.Audience.SCHOOL,
        groups=[group7] if group7 else [],
        pupils=[],
        new_files=[ContentFile(tiny_pdf(CAMP_PDF), name="Schoolkamp groep 7.pdf")],
    )
    services.send_letter(letter=camp, acting_user=staff, now=camp_on)
    _delivered(camp, camp_on, read_share=0.4, rng_seed=11)

    if parent is not None:
        LetterRecipient.objects.filter(letter=newsletter, guardian__user=parent).update(read_at=sent_on)
        LetterRecipient.objects.filter(letter=camp, guardian__user=parent).update(read_at=None)

    services.save_draft(
        acting_user=staff,
        school=school,
        subject="Kerstdiner 18 december",
        body_html=DRAFT,
        audience_kind=Letter.Audience.SCHOOL,
        groups=[],
        pupils=[],
    )
    return newsletter, camp
