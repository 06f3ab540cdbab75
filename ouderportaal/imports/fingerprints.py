"""A re-import of the very file last applied, over rows nobody changed since, recognised without checking a row.

After a CSV file is applied, two digests are kept (`AppliedState`): one of the file's bytes, one of the stored rows
the source reads and writes (the source's `*_state(school, scope)`: its own table, the records it looks keys up in,
the pupils' fields the name cross-check reads; `scope` is what the plan names of rows its school's rows need not
refer to, kept with the digests), taken inside the applying transaction. When the same source is
imported again for that school, and the file's bytes and those rows hash to the same digests, the outcome is known:
every row unchanged, nothing written, the same warnings. Any difference (one byte in the file, one stored value
changed, a row added or removed) and the file takes the full path: every row read, checked and compared.
"""

import hashlib

from django.db import models
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI

from ouderportaal.imports.models import AppliedState, ImportRun
from ouderportaal.imports.reading import Problem, check_size
from ouderportaal.imports.upsert import Plan, Section, stored_rows

CHUNK = 2000  # rows fetched and hashed at a time
VERSION = b"1"  # raise when a conversion or check changes: recorded states then match no file


def file_digest(fileobj):
    digest = hashlib.sha256(VERSION)
    fileobj.seek(0)
    while chunk := fileobj.read(1 << 20):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


# Read as text for the digest: the driver would otherwise build a date or Decimal for each (SQLite parses every date
# in Python), which costs more than hashing the row.
AS_TEXT = {"DateField", "DateTimeField", "TimeField", "DecimalField"}


def _column(field):
    if field.get_internal_type() in AS_TEXT:
        return Cast(field.attname, output_field=models.TextField())
    return field.attname


class ByValue:
    """A big table hashed by its rows' values as the import compares them (`upsert.stored_rows`: converted), without
    their ids, sorted: the same digest then comes from the rows an import has just written into a scope that held
    none (`Plan.written`), without reading them back. `names`: the fields, the row's key (unique) first."""

    def __init__(self, queryset, names):
        self.queryset, self.names = queryset, names


def state_digest(tables, written=None):
    """Of the rows of each (queryset, field names or None for every non-binary field), in primary key order, as the
    database returns them (no conversion: only equality matters); of a `ByValue` table, its sorted values, from
    `written` ({model: rows}) when the plan gives them."""
    digest = hashlib.sha256()
    for table in tables:
        if isinstance(table, ByValue):
            model = table.queryset.model
            rows = (written or {}).get(model)
            rows = sorted(rows if rows is not None else stored_rows(table.queryset, *table.names))
            digest.update(f"\x1e{model._meta.label}:{','.join(table.names)}\x1e".encode())
            for start in range(0, len(rows), CHUNK):
                digest.update(repr(rows[start : start + CHUNK]).encode())
            continue
        queryset, names = table
        model = queryset.model
        fields = [model._meta.get_field(name) for name in names] if names else model._meta.concrete_fields
        fields = [f for f in fields if not isinstance(f, models.BinaryField)]
        columns = [_column(f) for f in fields]
        compiler = queryset.order_by("pk").values_list(*columns).query.get_compiler(queryset.db)
        digest.update(f"\x1d{model._meta.label}:{','.join(f.attname for f in fields)}\x1d".encode())
        for chunk in compiler.execute_sql(MULTI, chunk_size=CHUNK) or ():
            digest.update(repr(list(map(tuple, chunk))).encode())
    return digest.hexdigest()


def _recorded(school, source):
    return (
        AppliedState.objects.filter(run__school=school, run__source=source, run__status=ImportRun.Status.APPLIED)
        .select_related("run")
        .order_by("-run__finished_at", "-run_id")
        .first()
    )


def unchanged_plan(source, school, fileobj, tables):
    """The plan of a re-import that changes nothing, or None when the file or the stored rows differ from the last
    applied run's (then the file is checked in full)."""
    state = _recorded(school, source)
    if state is None:
        return None
    check_size(fileobj)  # a file over the limit is refused before it is read, as on the full path
    if state.file_digest != file_digest(fileobj) or state.state_digest != state_digest(tables(state.scope)):
        return None
    run = state.run
    plan = Plan(rows=sum(n.get("new", 0) + n.get("changed", 0) + n.get("unchanged", 0) for n in run.counts.values()))
    for label, numbers in run.counts.items():
        section = Section(label, None, unchanged=sum(numbers.get(k, 0) for k in ("new", "changed", "unchanged")))
        plan.sections.append(section)
    for warning in run.warnings:  # the same file over the same pupils: the same warnings
        plan.problems.append(Problem(**warning, warning=True))
    plan.apply = lambda: None
    plan.recorded = True
    return plan


def record(run, plan, fileobj, tables):
    """Keep an applied run's digests, taken inside its transaction (older ones of that source and school go). A run
    that changed nothing writes nothing (not even this) once a state is kept."""
    if run.status != ImportRun.Status.APPLIED or not tables or plan.recorded:
        return
    older = AppliedState.objects.filter(run__school=run.school, run__source=run.source)
    if not plan.changes and older.exists():
        return
    older.delete()
    state = state_digest(tables(plan.scope), plan.written)
    AppliedState.objects.create(run=run, file_digest=file_digest(fileobj), state_digest=state, scope=plan.scope)
