"""Backup and restore of the whole database: `manage.py backup FILE`, `manage.py restore FILE` (docs/deploy.md).

PostgreSQL: pg_dump's custom format (-Fc: compressed, restored table by table with pg_restore), run with the
connection settings of DATABASE_URL. SQLite: SQLite's online backup API, a consistent copy while the portal runs.
A restore goes into a fresh, empty database (createdb, or a new SQLite file): never over live data by accident.
Uploaded files (MEDIA_ROOT) are backed up beside the database, not by these commands.
"""

import os
import sqlite3
import subprocess

from django.db import connections


class BackupError(Exception):
    pass


def _libpq(db):
    """pg_dump's and pg_restore's connection options and environment for one DATABASES entry."""
    args = ["--dbname", db["NAME"]]
    for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
        if db.get(key):
            args += [option, str(db[key])]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else dict(os.environ)
    return args, env


def _run(argv, env=None):
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True)  # noqa: S603 - fixed programs
    except FileNotFoundError as error:
        raise BackupError(f"{argv[0]} is not installed (apt-get install postgresql-client)") from error
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()[-500:]}")


def backup(path, using="default"):
    """Write a backup of the database `using` to path."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _libpq(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args], env)
    else:
        raise BackupError(f"no backup for {connection.vendor}")


def table_rows(db):
    """{table: rows} of every table in the database that the DATABASES entry db names (opened directly, so that a
    restored database can be counted without becoming one of Django's connections)."""
    if db["ENGINE"].endswith("sqlite3"):
        with sqlite3.connect(db["NAME"]) as raw:
            names = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            names = [name for (name,) in names.fetchall()]
            # Table names from the database's own catalogue.
            return {name: raw.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608
    import psycopg

    params = {"dbname": db["NAME"], "host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER")}
    with psycopg.connect(**{k: v for k, v in params.items() if v}, password=db.get("PASSWORD") or None) as raw:
        names = raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        return {name: raw.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for (name,) in names}  # noqa: S608


def restore(path, db):
    """Restore the backup at path into the empty database that the DATABASES entry db names."""
    if not os.path.exists(path):
        raise BackupError(f"no backup at {path}")
    if table_rows(db):
        raise BackupError(f"the database {db['NAME']} is not empty: restore into a fresh one")
    if db["ENGINE"].endswith("sqlite3"):
        source, target = sqlite3.connect(path), sqlite3.connect(db["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        args, env = _libpq(db)
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", *args, str(path)], env)
