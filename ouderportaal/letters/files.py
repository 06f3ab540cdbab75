"""Attachments: PDF checked by its content, limits on size and count, served only through a view that checked
who asks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PDF_MAGIC = b"%PDF-"


def check_pdf(upload):
    """Raise a Dutch ValidationError unless `upload` is a PDF within the size limit (checked by its first bytes)."""
    limit = settings.LETTER_MAX_ATTACHMENT_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is te groot (%(size)s MB); het maximum is %(max)s MB.")
            % {"name": upload.name, "size": round(upload.size / 1024 / 1024, 1), "max": limit // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    # The PDF header may follow a little junk, but must be in the first kilobyte.
    if PDF_MAGIC not in head:
        raise ValidationError(_("%(name)s is geen PDF-bestand. Voeg alleen PDF-bestanden toe.") % {"name": upload.name})


def check_count(existing, new):
    limit = settings.LETTER_MAX_ATTACHMENTS
    if existing + new > limit:
        raise ValidationError(
            ngettext(
                "Een brief kan hoogstens %(max)s bijlage hebben.",
                "Een brief kan hoogstens %(max)s bijlagen hebben.",
                limit,
            )
            % {"max": limit}
        )


def clean_filename(name):
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "bijlage.pdf"
    name = "".join(c for c in name if c.isprintable() and c not in '"<>')[:150]
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def attachment_response(attachment):
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    return response
