"""Compare what a file says with what is stored, then write only the difference.

A `Section` collects, for one model, the rows to create and the rows whose fields differ; rows that are the same
cost nothing. That is what makes importing the same file twice write no row at all.
"""

from dataclasses import dataclass, field

from django.db import connection, models

SAMPLES = 5
BATCH = 1000


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
    new_rows: list = field(default_factory=list)  # new rows as dicts (compare_row)
    missing: list = field(default_factory=list)  # stored rows the file no longer lists (shown, acted on by choice)
    samples_new: list = field(default_factory=list)
    samples_changed: list = field(default_factory=list)

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

    def compare_row(self, stored, values, *, describe=str):
        """Like `compare`, with the stored row as a dict from `.values()` (its attnames and "id"): no model instance
        is built for a row that did not change, which is nearly every row of a re-import."""
        if stored is None:
            # A new row stays a dict until it is written: no model instance for each of 400,000 results.
            self.new_rows.append(values)
            if len(self.samples_new) < SAMPLES:
                self.samples_new.append(describe(self.model(**values)))
            return None
        differences = [
            name
            for name, value in values.items()
            if stored[_ATTNAMES[self.model].get(name, name)] != (value.pk if isinstance(value, models.Model) else value)
        ]
        if not differences:
            self.unchanged += 1
            return None
        instance = self.model(pk=stored["id"], **values)
        if len(self.samples_changed) < SAMPLES:
            change = ", ".join(f"{name}: {stored[_ATTNAMES[self.model].get(name, name)]} → {values[name]}"
                               for name in differences)  # fmt: skip
            self.samples_changed.append(f"{describe(instance)} ({change})")
        self.changed_fields.update(differences)
        self.changed.append(instance)
        return instance

    def counts(self):
        result = {"new": len(self.new) + len(self.new_rows), "changed": len(self.changed), "unchanged": self.unchanged}
        if self.missing:
            result["missing"] = len(self.missing)
        return result

    def write(self):
        if self.new:
            self.model.objects.bulk_create(self.new, batch_size=BATCH)
        if self.new_rows:
            _insert_many(self.model, self.new_rows)
        if self.changed:
            _update_many(self.model, self.changed, sorted(self.changed_fields))


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
    params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])


def _insert_many(model, rows):
    """New rows given as dicts with the same keys, inserted with one executemany per batch."""
    fields = [model._meta.get_field(name) for name in rows[0]]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608

    def prepared(row):
        values = []
        for f in fields:
            value = row[f.name]
            if f.is_relation:
                value = value.pk if isinstance(value, models.Model) else value
            values.append(f.get_db_prep_save(value, connection))
        return values

    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [prepared(row) for row in rows[start : start + BATCH]])
