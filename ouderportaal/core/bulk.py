"""Many rows in few statements, for rows that share most of their values (a letter to a whole school).

Django's bulk_create prepares every value of every row field by field; for 10,000 rows that is most of the time a
letter's send takes. Here the rows go in as plain tuples (`insert_rows`), or, when they share all but a few columns
with a row already written, as those few columns only (`insert_like`).

The rows travel as a derived table with columns column1, column2 …: on PostgreSQL `unnest()` of one array per
column (a handful of parameters per statement: the driver's work grows with the number of placeholders, ~5 µs each,
and a multi-row VALUES has one per value); elsewhere a multi-row `VALUES (…), (…)` (SQLite names its columns the
same way, and its driver is cheap per placeholder).
"""

from django.db import connection


def insert_rows(model, columns, rows):
    """Insert `rows` (tuples in the order of `columns`, attnames) into `model`'s table."""
    fields = [model._meta.get_field(c) for c in columns]
    targets = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(f"v.column{i + 1}" for i in range(len(columns)))
    with connection.cursor() as cursor:
        for source, params in _sources(fields, rows):
            # Only quoted identifiers and placeholders are formatted in; every value is a parameter.
            cursor.execute(f"INSERT INTO {_table(model)} ({targets}) SELECT {values} FROM {source}", params)  # noqa: S608


def insert_like(model, template_pk, columns, rows, *, key):
    """Insert `rows` (tuples in the order of `columns`) copying every other column from the row `template_pk`:
    `INSERT … SELECT v.…, t.… FROM <rows> AS v, table AS t WHERE t.pk = template`. The rows of a mass mail differ
    in two of their eighteen columns; only those travel, the database copies the rest. Returns {value of column
    `key` (unique among the rows): new primary key}."""
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(c) for c in columns]
    copied = [quote(f.column) for f in meta.concrete_fields if f.attname not in columns and not f.primary_key]
    targets = ", ".join([quote(f.column) for f in fields] + copied)
    values = ", ".join([f"v.column{i + 1}" for i in range(len(columns))] + [f"t.{c}" for c in copied])
    pk = quote(meta.pk.column)
    ids = {}
    with connection.cursor() as cursor:
        for source, params in _sources(fields, rows):
            cursor.execute(
                f"INSERT INTO {_table(model)} ({targets}) SELECT {values} FROM {source}, {_table(model)} AS t "  # noqa: S608
                f"WHERE t.{pk} = %s RETURNING {pk}, {quote(meta.get_field(key).column)}",
                [*params, template_pk],
            )
            ids.update((value, new_pk) for new_pk, value in cursor.fetchall())
    assert len(ids) == len(rows), "insert_like: the key column is not unique among the rows"
    return ids


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _sources(fields, rows):
    """(SQL of a derived table `v` with columns column1 … columnN, its parameters) per chunk of `rows`."""
    if connection.vendor == "postgresql":
        # Arrays of the column's type without its length (`varchar`, not `varchar(200)`): an explicit cast would cut a
        # value short where the INSERT itself refuses one that is too long.
        arrays = ", ".join(f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields)
        names = ", ".join(f"column{i + 1}" for i in range(len(fields)))
        for start in range(0, len(rows), 10_000):
            chunk = rows[start : start + 10_000]
            yield f"unnest({arrays}) AS v({names})", [list(column) for column in zip(*chunk, strict=True)]
        return
    limit = connection.features.max_query_params or 999
    size = max(1, min(1000, (limit - 1) // len(fields)))
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        yield f"(VALUES {', '.join([row_sql] * len(chunk))}) AS v", [value for row in chunk for value in row]
