"""Many rows in few statements, for rows that share most of their values (a letter to a whole school).

Django's bulk_create prepares every value of every row field by field; for 10,000 rows that is most of the time a
letter's send takes. Here the rows go in as plain tuples, `INSERT … VALUES (…), (…) RETURNING id` (`insert_rows`), or,
when they share all but a few columns with a row already written, as those few columns only (`insert_like`).
"""

from django.db import connection


def insert_rows(model, columns, rows, *, returning=False):
    """Insert `rows` (tuples in the order of `columns`, attnames) into `model`'s table; returns the new primary
    keys in the order of `rows` when `returning` (as Django's bulk_create relies on, for SQLite and PostgreSQL)."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    limit = connection.features.max_query_params or 65535
    size = max(1, min(1000, limit // len(columns)))
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [value for row in chunk for value in row]
            # Only quoted identifiers and placeholders are formatted in; every value is a parameter.
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([row_sql] * len(chunk))}{tail}"  # noqa: S608
            cursor.execute(sql, params)
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


def insert_like(model, template_pk, columns, rows, *, key):
    """Insert `rows` (tuples in the order of `columns`) copying every other column from the row `template_pk`, in
    `INSERT … SELECT … FROM (VALUES (…), (…)) , table WHERE pk = template`: the rows of a mass mail differ in two of
    their eighteen columns, and only those travel as parameters (the driver's work grows with the number of
    placeholders, the server copies the rest). Returns {value of column `key` (unique among the rows): new pk}."""
    if not rows:
        return {}
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    pk = quote(meta.pk.column)
    copied = [f.column for f in meta.concrete_fields if f.attname not in columns and not f.primary_key]
    targets = ", ".join(quote(meta.get_field(c).column) for c in columns)
    targets += "".join(f", {quote(c)}" for c in copied)
    # A VALUES list's columns are named column1, column2 … in both SQLite and PostgreSQL.
    values = ", ".join(f"v.column{i + 1}" for i in range(len(columns))) + "".join(f", t.{quote(c)}" for c in copied)
    limit = connection.features.max_query_params or 65535
    size = max(1, min(5000, (limit - 1) // len(columns)))
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [value for row in chunk for value in row]
            # Only quoted identifiers and placeholders are formatted in; every value is a parameter.
            sql = (
                f"INSERT INTO {table} ({targets}) SELECT {values} "  # noqa: S608
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS v, {table} AS t "
                f"WHERE t.{pk} = %s RETURNING {pk}, {quote(meta.get_field(key).column)}"
            )
            cursor.execute(sql, [*params, template_pk])
            ids.update((value, new_pk) for new_pk, value in cursor.fetchall())
    assert len(ids) == len(rows), "insert_like: the key column is not unique among the rows"
    return ids
