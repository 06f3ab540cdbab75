"""A queryset whose SQL the ORM builds once per process, for the queries every parent page (or a hot one) runs.

Building and compiling a query in Python costs the portal more than the database's answer (docs/benchmarks.md).
`Prepared(model, build, related, probe)` asks `build(probe)` for the queryset once per database, with a probe object
standing in for the one parameter (a user, a pupil), and keeps the SQL the ORM made of it; each later call only binds
the parameter and turns the rows into model instances, the related objects (`select_related`, each level named:
"letter", "letter__school") attached as the ORM would, deferred fields (`defer()`) left to load on first use — or,
for a `values_list()` queryset, into tuples. The queryset stays the one place that says what is selected: the rule
is never written out as SQL.
With `texts=n`, the n arguments after the first are text parameters bound the same way (a letter's public id), each
standing in as a probe text; with `moments=n`, the n arguments after those are moments (aware datetimes, e.g. now),
each standing in as a probe moment and bound as the database takes a DateTimeField's value. Further arguments
(`prepared(pupil, school_year, today)`) are constants of the SQL: `build(probe, *probe_texts, *probe_moments,
*constants)` is compiled once per database and constants, so they must be values that
seldom change (the school year, today).
Where the compiled query does not have the expected shape (the probe's id among the parameters, the columns of the
model and its related models in order), every call runs the ORM instead.
"""

import datetime

from django.db import connections, router
from django.db.models.query import ModelIterable, ValuesListIterable

PROBE_PK = -739_151  # an id no row has: found among the compiled query's parameters
PROBE_TEXT = "\x1fprobe-{}\x1f"  # the same for text parameters (no public id or name has a control character)
PROBE_MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)  # and for moments (+ n µs for the nth)


class Prepared:
    def __init__(self, model, build, related=(), probe=None, texts=0, moments=0):
        self.model, self.build, self.related = model, build, tuple(related)
        self.probe = probe or (lambda pk: model(pk=pk))
        self.texts, self.moments = texts, moments
        self.compiled = {}  # database alias (with the constants, if any) -> what compile() returns

    def __call__(self, param, *args):
        given, constants = args[: self.texts + self.moments], args[self.texts + self.moments :]
        alias = router.db_for_read(self.model)
        key = (alias, *constants) if constants else alias
        if key not in self.compiled:
            if len(self.compiled) >= 16:  # yesterday's SQL (a date among the constants) is not asked again
                self.compiled.clear()
            self.compiled[key] = self.compile(alias, constants)
        compiled = self.compiled[key]
        if compiled is None:
            return list(self.queryset(param, given + constants))
        sql, params, at, compiler, converters, parts = compiled
        adapt = connections[alias].ops.adapt_datetimefield_value
        texts, moments = given[: self.texts], given[self.texts :]
        params, bound = list(params), (param.pk, *texts, *map(adapt, moments))
        for i, which in at:
            params[i] = bound[which]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        if parts is None:  # values_list(): the rows as they are
            return [tuple(row) for row in rows]
        objects = []
        for row in rows:
            row_objects = []  # the model's instance, then each related one (None: a null foreign key)
            for model, names, start, end, field, parent in parts:
                values = row[start:end]
                owner = row_objects[parent] if field else None
                obj = None if values[0] is None else model.from_db(alias, names, values)
                if owner is not None:
                    setattr(owner, field.name, obj)
                row_objects.append(obj)
            objects.append(row_objects[0])
        return objects

    def queryset(self, param, args=()):
        queryset = self.build(param, *args)
        return queryset.select_related(*self.related) if self.related else queryset

    def compile(self, alias, constants=()):
        texts = tuple(PROBE_TEXT.format(n) for n in range(self.texts))
        moments = tuple(PROBE_MOMENT + datetime.timedelta(microseconds=n) for n in range(self.moments))
        queryset = self.queryset(self.probe(PROBE_PK), texts + moments + constants)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        # A moment is among the parameters as the database takes it (SQLite: text in UTC).
        probes = (PROBE_PK, *texts, *map(connections[alias].ops.adapt_datetimefield_value, moments))
        # Each probe among the parameters (as often as the query names it); the others are the query's constants
        # (e.g. EXISTS' `SELECT 1`, the school year).
        at = [(i, probes.index(value)) for i, value in enumerate(params) if value in probes]
        if {which for _, which in at} != set(range(len(probes))):
            return None
        converters = compiler.get_converters([col for col, _, _ in compiler.select[: compiler.col_count]])
        if queryset._iterable_class is ValuesListIterable:
            return sql, tuple(params), at, compiler, converters, None
        if queryset._iterable_class is not ModelIterable:
            return None  # values(), flat or named lists: not this shape
        # The columns must be the model's, then each related model's (in the order the ORM joins them: a name with
        # `__` after the one it goes through, "letter" before "letter__school"), primary key first: from_db's input.
        selected = [col.target for col, _, _ in compiler.select[: compiler.col_count]]
        specs, paths = [(self.model, None, None)], [""]
        for name in self.related:
            head, _, last = name.rpartition("__")
            if head not in paths:
                return None
            parent = paths.index(head)
            field = specs[parent][0]._meta.get_field(last)
            specs.append((field.related_model, field, parent))
            paths.append(name)
        # A model's columns may leave out deferred fields (`defer()`): from_db marks those as deferred, to load on
        # first use as the ORM does. A model joined twice must bring all its columns each time (told apart by count).
        parts, start = [], 0
        models = [model for model, _, _ in specs]
        for model, field, parent in specs:
            concrete = list(model._meta.concrete_fields)
            end = start
            if models.count(model) > 1:
                end = start + len(concrete)
            else:
                while end < len(selected) and selected[end] in concrete:
                    end += 1
            fields = selected[start:end]
            if not fields or fields[0] is not model._meta.pk or fields != [f for f in concrete if f in fields]:
                return None
            if models.count(model) > 1 and fields != concrete:
                return None
            parts.append((model, [f.attname for f in fields], start, end, field, parent))
            start = end
        if start != len(selected):
            return None
        return sql, tuple(params), at, compiler, converters, parts
