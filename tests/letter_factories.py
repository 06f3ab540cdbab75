"""Letters for tests: drafts and sent letters through the real services, PDFs that are PDFs."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ouderportaal.letters import services
from ouderportaal.letters.models import Letter

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"


def pdf(name="brief.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_draft(school, staff, *, groups=(), pupils=(), subject="Schoolreisje", body="<p>Beste ouders,</p>", files=()):
    audience = Letter.Audience.GROUPS if groups else Letter.Audience.PUPILS if pupils else Letter.Audience.SCHOOL
    return services.save_draft(
        acting_user=staff,
        school=school,
        subject=subject,
        body_html=body,
        audience_kind=audience,
        groups=list(groups),
        pupils=list(pupils),
        new_files=list(files),
    )


def make_sent(school, staff, **kw):
    letter = make_draft(school, staff, **kw)
    services.send_letter(letter=letter, acting_user=staff)
    letter.refresh_from_db()
    return letter


def cast_letter(cast):
    """A sent letter with a PDF to child1's group (its guardians: parent and coparent), made once per cast."""
    if not hasattr(cast, "_letter"):
        cast._letter = make_sent(cast.school, cast.staff, groups=[cast.group], files=[pdf()])
    return cast._letter
