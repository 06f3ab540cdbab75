"""Compare what a file says with what is stored, then write only the difference.

A `Section` collects, for one model, the rows to create and the rows whose fields differ; rows that are the same
cost nothing. That is what makes importing the same file twice write no row at all.
"""

import operator
from dataclasses import dataclass, field
from functools import cache, partial

from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.sql.constants import MULTI

SAMPLES = 5
BATCH = 1000
CACHED = {
    "DateField",
    "DateTimeField",
    "TimeField",
    "DecimalField",
}  # hashable values, prepared once each (insert_rows)


def _same(instance, name, value):
    if isinstance(value, models.Model):  # a foreign key: compare ids, never load the related row
        return value.pk is not None and getattr(instance, name + "_id") == value.pk
    return getattr(instance, name) == value


class _Attnames(dict):
    def __missing__(self, model):
        self[model] = {f.name: f.attname for f in model._meta.concrete_fields}
        return self[model]


_ATTNAMES = _Attnames()


def _shown(instance, name):
    field = instance._meta.get_field(name)
    return str(getattr(instance, field.attname))


@dataclass
class Section:
    label: str  # Dutch, shown in the preview
    model: type
    new: list = field(default_factory=list)  # unsaved instances
    changed: list = field(default_factory=list)  # instances with new values set
    changed_fields: set = field(default_factory=set)
    unchanged: int = 0
    new_rows: list = field(default_factory=list)  # new rows as tuples of `fields` (compare_row)
    missing: list = field(default_factory=list)  # stored rows the file no longer lists (shown, acted on by choice)
    samples_new: list = field(default_factory=list)
    samples_changed: list = field(default_factory=list)
    fields: tuple = ()  # compare_row: the fields of a row (attnames), in the order of its values
    compared: tuple = ()  # compare_row: the plain (not relation) fields compared with the stored row, in order
    compared_getter: object = None

    def compare(self, instance, values, *, describe=str):
        """`instance` is the stored row or None; `values` the file's. Returns the instance to use."""
        if instance is None:
            instance = self.model(**values)
            self.new.append(instance)
            if len(self.samples_new) < SAMPLES:
                self.samples_new.append(describe(instance))
            return instance
        differences = [name for name, value in values.items() if not _same(instance, name, value)]
        if not differences:
            self.unchanged += 1
            return instance
        if len(self.samples_changed) < SAMPLES:
            change = ", ".join(f"{name}: {_shown(instance, name)} → {values[name]!s}" for name in differences)
            self.samples_changed.append(f"{describe(instance)} ({change})")
        for name in differences:
            setattr(instance, name, values[name])
        self.changed_fields.update(differences)
        self.changed.append(instance)
        return instance

    def compare_row(self, stored, row, *, describe=str):
        """Like `compare`, for big tables: `stored` is None or `(id, (value, …))` with the stored values of
        `self.compared` in that order (from `.values_list()`); `row` is a tuple of the values of `self.fields`,
        relations by attname (`pupil_id`: the id; the source puts ids in place of instances created by its plan
        before it writes). An unchanged row costs one tuple comparison, and neither a dict nor a model instance is
        built for it (nearly every row of a re-import); a new one is kept as it is until it is written.
        `describe(row)` names the row in the preview's samples."""
        if stored is None:
            self.new_rows.append(row)
            if len(self.samples_new) < SAMPLES:
                self.samples_new.append(describe(row))
            return
        if self.compared_getter is None:
            self.compared_getter = operator.itemgetter(*(self.fields.index(name) for name in self.compared))
        mine = self.compared_getter(row)
        if len(self.compared) == 1:
            mine = (mine,)
        if stored[1] == mine:
            self.unchanged += 1
            return
        differences = [(name, old, new) for name, old, new in zip(self.compared, stored[1], mine, strict=True)
                       if old != new]  # fmt: skip
        if len(self.samples_changed) < SAMPLES:
            change = ", ".join(f"{name}: {old} → {new}" for name, old, new in differences)
            before = dict(zip(self.fields, row, strict=True)) | dict(zip(self.compared, stored[1], strict=True))
            self.samples_changed.append(f"{describe(tuple(before.values()))} ({change})")  # as stored, like compare
        self.changed_fields.update(name for name, _old, _new in differences)
        self.changed.append(self.model(pk=stored[0], **dict(zip(self.fields, row, strict=True))))

    def counts(self):
        result = {"new": len(self.new) + len(self.new_rows), "changed": len(self.changed), "unchanged": self.unchanged}
        if self.missing:
            result["missing"] = len(self.missing)
        return result

    def write(self):
        if self.new:
            _insert_instances(self.model, self.new)
        if self.new_rows:
            insert_rows(self.model, self.fields, self.new_rows)
        if self.changed:
            _update_many(self.model, self.changed, sorted(self.changed_fields))


def with_ids(rows):
    """Rows (tuples) with the id of each model instance in them: instances created when the plan was applied."""
    return [tuple(value.pk if isinstance(value, models.Model) else value for value in row) for row in rows]


def stored_rows(queryset, *names):
    """`queryset.values_list(*names)` as tuples, each column's converters (dates, decimals…) run once per distinct
    stored value rather than once per row: a school's 13,000 results hold a few hundred dates and scores."""
    query = queryset.values_list(*names).query
    compiler = query.get_compiler(queryset.db)
    chunks = compiler.execute_sql(MULTI)
    if chunks is None:
        return
    converters = compiler.get_converters([column for column, _sql, _alias in compiler.select[: compiler.col_count]])
    if not converters:
        for chunk in chunks:
            yield from (tuple(row) for row in chunk)
        return
    connection_ = compiler.connection
    memos = {position: {} for position in converters}
    for chunk in chunks:
        for raw in chunk:
            row = list(raw)
            for position, (functions, expression) in converters.items():
                value, memo = row[position], memos[position]
                try:
                    row[position] = memo[value]
                except KeyError:
                    converted = value
                    for function in functions:
                        converted = function(converted, expression, connection_)
                    if len(memo) < 100_000:
                        memo[value] = converted
                    row[position] = converted
            yield tuple(row)


class ProblemLog:
    """Every problem counted, the first KEEP of each kind kept: a file of a million bad rows stays small in memory."""

    KEEP = 1000

    def __init__(self):
        self.errors, self.warnings = [], []
        self.error_count = self.warning_count = 0

    def append(self, problem):
        if problem.warning:
            self.warning_count += 1
            kept = self.warnings
        else:
            self.error_count += 1
            kept = self.errors
        if len(kept) < self.KEEP:
            kept.append(problem)


@dataclass
class Plan:
    """What a file would change. `apply` is set by the source and writes it (inside the caller's transaction)."""

    sections: list = field(default_factory=list)
    problems: ProblemLog = field(default_factory=ProblemLog)
    rows: int = 0
    apply: object = None
    recorded: bool = False  # the outcome of the last applied run, recognised by imports.fingerprints
    scope: dict = field(default_factory=dict)  # kept with the applied state (AppliedState.scope)
    written: dict = field(default_factory=dict)  # {model: rows}: a ByValue table's rows after apply (fingerprints)

    @property
    def errors(self):
        return self.problems.errors

    @property
    def warnings(self):
        return self.problems.warnings

    def counts(self):
        return {s.label: s.counts() for s in self.sections}

    def samples(self):
        result = {}
        for s in self.sections:
            result[s.label] = {
                "new": s.samples_new,
                "changed": s.samples_changed,
                "missing": [str(m) for m in s.missing[:SAMPLES]],
            }
        return result

    @property
    def error_count(self):
        return self.problems.error_count

    @property
    def changes(self):
        return sum(len(s.new) + len(s.new_rows) + len(s.changed) for s in self.sections)


def _update_many(model, rows, names):
    """One UPDATE statement run for every row (executemany): bulk_update's CASE expressions cost far more to build
    than the database takes to run these."""
    fields = [model._meta.get_field(name) for name in names]
    for row in rows:
        for f in fields:
            if f.is_relation and f.is_cached(row):  # a row created earlier in this import: take its new id
                setattr(row, f.attname, f.get_cached_value(row).pk)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Table and column names come from the model, values go as parameters.
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    preparers = [_preparer(f) or (lambda value: value) for f in fields]
    params = [
        [
            None if (value := getattr(row, f.attname)) is None else prepare(value)
            for f, prepare in zip(fields, preparers, strict=True)
        ]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])


def _preparer(f):
    """What `f.get_db_prep_save` does to a value the import already holds in the field's Python type, without the
    generic path (to_python, get_prep_value…) that cost more than the INSERT itself for 400,000 rows."""
    ops = connection.ops
    if f.is_relation:
        target = _preparer(f.target_field)

        def related(value):
            value = value.pk if isinstance(value, models.Model) else value
            return target(value) if target else value

        return related
    internal = f.get_internal_type()
    if internal in ("CharField", "TextField", "BooleanField", "AutoField", "BigAutoField", "SmallAutoField"):
        return None
    if internal in getattr(ops, "integerfield_type_map", {}):
        return partial(ops.adapt_integerfield_value, internal_type=internal)
    if internal.endswith("IntegerField"):
        return None
    if internal == "DateField":
        return ops.adapt_datefield_value
    if internal == "DecimalField":
        if type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value:
            return None  # the driver takes a Decimal as it is (SQLite, PostgreSQL)
        return partial(ops.adapt_decimalfield_value, max_digits=f.max_digits, decimal_places=f.decimal_places)
    return partial(f.get_db_prep_save, connection=connection)


def insert_rows(model, names, rows):
    """New rows, each a sequence of the values of the fields `names` (relations by attname, as ids), inserted with
    one executemany per batch."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    preparers = []
    for index, f in enumerate(fields):
        target = f.target_field if f.is_relation else f
        if (prepare := _preparer(target)) is not None:
            # A date is prepared once per distinct value: a school's results hold a few hundred dates.
            preparers.append((index, cache(prepare) if target.get_internal_type() in CACHED else prepare))

    def prepared(row):
        values = list(row)
        for index, prepare in preparers:
            value = values[index]
            if value is not None:
                values[index] = prepare(value)
        return values

    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            cursor.executemany(sql, [prepared(row) for row in batch] if preparers else batch)


def _plain(f):
    """A field whose value to save is simply the attribute (no auto_now, no file to store)."""
    if isinstance(f, models.DateField):  # and DateTimeField
        return not (f.auto_now or f.auto_now_add)
    return type(f).pre_save is models.Field.pre_save


def _insert_instances(model, instances):
    """New model instances inserted with multi-row INSERT … RETURNING, their ids set: what bulk_create does, with
    the fast preparers (bulk_create's generic path cost more per row than the database)."""
    if not connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(instances, batch_size=BATCH)
        return
    opts = model._meta
    fields = [f for f in opts.concrete_fields if f is not opts.pk and not f.generated]
    preparers = [(index, prepare) for index, f in enumerate(fields) if (prepare := _preparer(f)) is not None]
    relations = [f for f in fields if f.is_relation]
    if len(fields) > 1 and all(_plain(f) for f in fields):  # every value read at once
        values_of = operator.attrgetter(*(f.attname for f in fields))
    else:
        values_of = lambda instance: [f.pre_save(instance, True) for f in fields]  # noqa: E731
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "  # noqa: S608
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = min(BATCH, connection.ops.bulk_batch_size(fields, instances) or BATCH)
    with connection.cursor() as cursor:
        for start in range(0, len(instances), size):
            batch = instances[start : start + size]
            params = []
            for instance in batch:
                for f in relations:
                    if f.is_cached(instance):  # a row created earlier in this import: take its new id
                        related = f.get_cached_value(instance)
                        setattr(instance, f.attname, related.pk if related is not None else None)
                values = list(values_of(instance))
                for index, prepare in preparers:
                    if (value := values[index]) is not None:
                        values[index] = prepare(value)
                params += values
            cursor.execute(head + ", ".join([row_sql] * len(batch)) + f" RETURNING {quote(opts.pk.column)}", params)
            for instance, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                instance.pk = pk
                instance._state.adding, instance._state.db = False, connection.alias
