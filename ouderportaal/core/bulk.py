"""Many rows in few statements, for rows that share most of their values (a letter to a whole school).

Django's bulk_create prepares every value of every row field by field; for 10,000 outbox rows that differ only in
address and Message-ID that is most of the time a send takes. Here the caller adapts the shared values once
(`adapt`) and the rows go in as plain tuples, `INSERT … VALUES (…), (…) RETURNING id`.
"""

from django.db import connection


def adapt(model, values):
    """{attname: value} → {attname: value as the database takes it} (dates, JSON …), through the model's fields."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return {name: fields[name].get_db_prep_save(value, connection) for name, value in values.items()}


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
