"""Uploads above the import limit are refused before they are stored: not in memory, not spooled to disk.

Django keeps an upload in memory up to 2.5 MB and spools anything larger to a temporary file, before any view sees
it. The import page refuses at once on the request's Content-Length (`too_large`), and `LimitedUpload`, installed as
the first upload handler, stops reading a file the moment it passes `IMPORT_MAX_MB` (a request without a length, or
one whose length understated the file).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

FORM_ALLOWANCE = 64 * 1024  # the form's other fields and the multipart boundaries around the file


def too_large(request):
    """True when the request says it carries more than a file of the limit and a form."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.IMPORT_MAX_BYTES + FORM_ALLOWANCE


def refusal():
    return _(
        "Dit bestand is groter dan %(limit)s MB en is niet opgeslagen. Exporteer één school tegelijk, of splits het "
        "bestand."
    ) % {"limit": settings.IMPORT_MAX_BYTES // 2**20}


class LimitedUpload(FileUploadHandler):
    """Counts the bytes of each file; past the limit the upload stops and the rest of the body is read and dropped."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.IMPORT_MAX_BYTES
        self.exceeded = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data  # the next handler (memory, then a temporary file) keeps it

    def file_complete(self, file_size):
        return None
