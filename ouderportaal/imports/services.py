"""The import workflow: check a file (preview, nothing written), then apply it in one transaction.

Every source has a `prepare_*` function: it reads and validates every row, compares with what is stored and
returns a Plan. Nothing is written unless the whole file is free of errors.
"""

import datetime
import uuid
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ouderportaal.core.audit import log_action
from ouderportaal.imports import fingerprints
from ouderportaal.imports.absences import absences_state, prepare_absences
from ouderportaal.imports.edex_plan import prepare_edex
from ouderportaal.imports.families import families_state, prepare_families
from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.reading import Refused
from ouderportaal.imports.results import prepare_results, results_state

Source = ImportRun.Source
PREPARE = {
    Source.EDEX: prepare_edex,
    Source.FAMILIES: prepare_families,
    Source.RESULTS: prepare_results,
    Source.ABSENCES: prepare_absences,
}
# What a CSV source reads and writes for a school, given the scope kept with an applied state: an identical file over
# the same rows needs no checking (imports.fingerprints). EDEX has none: it is checked in full every time.
STATE = {Source.FAMILIES: families_state, Source.RESULTS: results_state, Source.ABSENCES: absences_state}
MAX_REPORTED = 500  # errors kept on the run; the count says how many there were


class ApplyError(Exception):
    pass


def _record(run, plan):
    run.counts = plan.counts()
    run.samples = plan.samples()
    run.errors = [p.as_dict() for p in plan.errors[:MAX_REPORTED]]
    run.warnings = [p.as_dict() for p in plan.warnings[:MAX_REPORTED]]
    run.error_count = plan.error_count


def _progress_saver(run, share=(0, 100)):
    last = [-1]

    def progress(done, total):
        percent = share[0] + (share[1] - share[0]) * done // max(total, 1)
        if percent >= last[0] + 5:
            last[0] = percent
            ImportRun.objects.filter(pk=run.pk).update(progress=min(percent, 99))

    return progress


def _tables(run):
    """The source's stored rows for the run's school, given the scope of an applied state (or None)."""
    state = STATE.get(run.source)
    return partial(state, run.school) if state and run.school else None


def _prepare(run, fileobj, progress=None):
    tables = _tables(run)
    plan = tables and fingerprints.unchanged_plan(run.source, run.school, fileobj, tables)
    return plan or PREPARE[run.source](
        fileobj, school=run.school, mark_missing_left=run.mark_missing_left, progress=progress
    )


def import_file(
    *, source, fileobj, file_name, school=None, actor=None, dry_run=False, mark_missing_left=False, progress=None
):
    """Check and, unless it is a dry run or the file has errors, apply: the management commands' path."""
    run = ImportRun(
        source=source,
        file_name=file_name[:255],
        school=school,
        actor=actor,
        dry_run=dry_run,
        mark_missing_left=mark_missing_left,
        status=ImportRun.Status.CHECKING,
    )
    try:
        with transaction.atomic():
            plan = _prepare(run, fileobj, progress)
            run.school = run.school or plan.school
            _record(run, plan)
            if not dry_run and not run.error_count:
                plan.apply()
                run.status = ImportRun.Status.APPLIED
            else:
                run.status = ImportRun.Status.PREVIEWED
            run.finished_at = timezone.now()
            run.save()
            fingerprints.record(run, plan, fileobj, _tables(run))
            if run.status == ImportRun.Status.APPLIED:
                log_action(actor, "import.applied", run, source=source, file=run.file_name, counts=run.counts)
    except Refused as refusal:
        run.status, run.message, run.finished_at = ImportRun.Status.REFUSED, str(refusal), timezone.now()
        run.save()
    return run


# The back-office path: upload → check (preview) → apply, large files in the background. --------------------


def _path(run):
    return Path(settings.IMPORT_DIR) / run.stored_file


def start_import(*, source, upload, school, actor):
    """Keep the uploaded file and check it: at once when small, else in the task worker."""
    directory = Path(settings.IMPORT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    clean_stale()
    run = ImportRun(
        source=source,
        file_name=Path(upload.name).name[:255],
        school=school,
        actor=actor,
        file_size=upload.size,
        stored_file=f"{uuid.uuid4().hex}.upload",
    )
    if upload.size > settings.IMPORT_MAX_BYTES:
        run.status, run.stored_file = ImportRun.Status.REFUSED, ""
        run.message = _("Dit bestand is %(size)s MB; de grens is %(limit)s MB. Splits het bestand.") % {
            "size": upload.size // 2**20,
            "limit": settings.IMPORT_MAX_BYTES // 2**20,
        }
        run.finished_at = timezone.now()
        run.save()
        return run
    with open(_path(run), "wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    run.save()
    log_action(actor, "import.uploaded", run, source=source, file=run.file_name)
    if upload.size > settings.IMPORT_BACKGROUND_BYTES:
        from ouderportaal.imports.tasks import check_import

        transaction.on_commit(lambda: check_import.enqueue(run.pk))
    else:
        check_stored(run)
    return run


def check_stored(run):
    """Preview a stored file: counts, first rows, every error; nothing written but the run itself."""
    run.status = ImportRun.Status.CHECKING
    run.save(update_fields=["status"])
    try:
        with open(_path(run), "rb") as fileobj:
            plan = _prepare(run, fileobj, _progress_saver(run))
        _record(run, plan)
        run.status = ImportRun.Status.PREVIEWED
        if run.error_count:  # it cannot be applied: the errors are kept on the run, the file is not needed
            _discard(run)
    except Refused as refusal:
        run.status, run.message = ImportRun.Status.REFUSED, str(refusal)
        _discard(run)
    except FileNotFoundError:
        run.status, run.message = ImportRun.Status.FAILED, _("Het bestand is niet meer aanwezig; upload het opnieuw.")
    run.progress = 100
    run.save()
    return run


def request_apply(*, run, acting_user, mark_missing_left=False):
    """Claim the run (a second click does nothing), then apply now or in the worker."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED, error_count=0).update(
        status=ImportRun.Status.APPLYING, mark_missing_left=mark_missing_left, progress=0
    )
    if not claimed:
        raise ApplyError(_("Deze import is al verwerkt of kan niet worden verwerkt."))
    run.refresh_from_db()
    log_action(acting_user, "import.apply.requested", run, mark_missing_left=mark_missing_left)
    if run.file_size > settings.IMPORT_BACKGROUND_BYTES:
        from ouderportaal.imports.tasks import apply_import_task

        transaction.on_commit(lambda: apply_import_task.enqueue(run.pk))
    else:
        apply_stored(run)
    return run


def apply_stored(run):
    """Check the stored file again (the database may have changed since the preview) and apply it in one go."""
    try:
        with transaction.atomic(), open(_path(run), "rb") as fileobj:
            plan = _prepare(run, fileobj, _progress_saver(run, (0, 60)))
            _record(run, plan)
            if run.error_count:
                raise ApplyError(_("Het bestand geeft nu fouten; er is niets verwerkt. Bekijk de fouten hieronder."))
            plan.apply()
            run.status, run.finished_at, run.progress = ImportRun.Status.APPLIED, timezone.now(), 100
            run.save()
            fingerprints.record(run, plan, fileobj, _tables(run))
            log_action(run.actor, "import.applied", run, source=run.source, file=run.file_name, counts=run.counts)
    except (ApplyError, Refused, FileNotFoundError) as error:
        run.status, run.message, run.progress = ImportRun.Status.FAILED, str(error), 100
        run.save()
        _discard(run)  # a failed run cannot be applied again: upload the file anew
        return run
    _discard(run)
    return run


def _discard(run):
    if run.stored_file:
        _path(run).unlink(missing_ok=True)
        run.stored_file = ""
        ImportRun.objects.filter(pk=run.pk).update(stored_file="")


def discard_import(*, run, acting_user):
    """Staff decide not to apply a checked file: the run says so and the stored file is removed."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED).update(
        status=ImportRun.Status.DISCARDED, finished_at=timezone.now()
    )
    if not claimed:
        raise ApplyError(_("Deze import is al verwerkt of verwijderd."))
    run.refresh_from_db()
    _discard(run)
    log_action(acting_user, "import.discarded", run, file=run.file_name)
    return run


def clean_stale(*, hours=None, now=None):
    """Remove stored files of checks not applied within IMPORT_KEEP_HOURS, and files no run refers to (an upload
    that broke off). Runs that are being checked or applied keep theirs. Returns the number of files removed."""
    hours = settings.IMPORT_KEEP_HOURS if hours is None else hours
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    busy = [ImportRun.Status.QUEUED, ImportRun.Status.CHECKING, ImportRun.Status.APPLYING]
    removed = 0
    stale = ImportRun.objects.exclude(stored_file="").exclude(status__in=busy).filter(created_at__lt=cutoff)
    message = _("Niet verwerkt binnen %(hours)s uur; het bestand is verwijderd. Upload het opnieuw.") % {"hours": hours}
    for run in stale:
        if run.status == ImportRun.Status.PREVIEWED:
            # Claimed like an apply: a click on Verwerken at this moment wins, or this does.
            claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED).update(
                status=ImportRun.Status.DISCARDED, finished_at=timezone.now(), message=message
            )
            if not claimed:
                continue
            log_action(None, "import.discarded", run, file=run.file_name, reason="stale")
        _discard(run)
        removed += 1
    directory = Path(settings.IMPORT_DIR)
    if directory.is_dir():
        kept = set(ImportRun.objects.exclude(stored_file="").values_list("stored_file", flat=True))
        for path in directory.glob("*.upload"):
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            if path.name not in kept and modified < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
