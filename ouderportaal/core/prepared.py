"""A queryset whose SQL the ORM builds once per process, for the query every parent page runs.

Building and compiling a query in Python costs the portal more than the database's answer (docs/benchmarks.md).
`Prepared(build, *related)` asks `build(probe)` for the queryset once per database, with a probe object standing in
for the one parameter (a user), and keeps the SQL the ORM made of it; each later call only binds the parameter
and turns the rows into model instances, the related objects (`select_related` one level deep) attached as the
ORM would. The queryset stays the one place that says what is selected: the rule is never written out as SQL.
Where the compiled query does not have the expected shape (one parameter, the columns of the model and its
related models in order), every call runs the ORM instead.
"""

from django.db import connections, router

PROBE_PK = -739_151  # an id no row has: found once among the compiled query's parameters


class Prepared:
    def __init__(self, model, build, related=(), probe=None):
        self.model, self.build, self.related = model, build, tuple(related)
        self.probe = probe
        self.compiled = {}  # database alias -> what compile() returns

    def __call__(self, param):
        alias = router.db_for_read(self.model)
        if alias not in self.compiled:
            self.compiled[alias] = self.compile(alias)
        compiled = self.compiled[alias]
        if compiled is None:
            return list(self.queryset(param))
        sql, params, at, compiler, converters, parts = compiled
        params = list(params)
        params[at] = param.pk
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        objects = []
        for row in rows:
            (model, names, start, end, _), *joined = parts
            obj = model.from_db(alias, names, row[start:end])
            for related_model, names, start, end, field in joined:
                values = row[start:end]
                setattr(obj, field.name, None if values[0] is None else related_model.from_db(alias, names, values))
            objects.append(obj)
        return objects

    def queryset(self, param):
        queryset = self.build(param)
        return queryset.select_related(*self.related) if self.related else queryset

    def compile(self, alias):
        probe = self.probe(PROBE_PK)
        queryset = self.queryset(probe)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        # The probe's id once among the parameters; the others are the query's constants (e.g. EXISTS' `SELECT 1`).
        if list(params).count(PROBE_PK) != 1:
            return None
        # The columns must be the model's, then each related model's, primary key first: what from_db is given.
        selected = [col.target for col, _, _ in compiler.select[: compiler.col_count]]
        parts, start = [], 0
        for model, field in [(self.model, None)] + [
            (self.model._meta.get_field(name).related_model, self.model._meta.get_field(name)) for name in self.related
        ]:
            fields = list(model._meta.concrete_fields)
            if selected[start : start + len(fields)] != fields or fields[0] is not model._meta.pk:
                return None
            parts.append((model, [f.attname for f in fields], start, start + len(fields), field))
            start += len(fields)
        if start != len(selected):
            return None
        converters = compiler.get_converters([col for col, _, _ in compiler.select[: compiler.col_count]])
        return sql, tuple(params), list(params).index(PROBE_PK), compiler, converters, parts
