"""Backup and restore (`manage.py backup`, `manage.py restore`, ouderportaal/core/backup.py; docs/deploy.md): the
demo's data is backed up, restored into a fresh database, and every table there has as many rows as before.

SQLite: the online backup API (also from the test run's in-memory database) into a file, restored into a new file.
PostgreSQL: pg_dump -Fc, restored with pg_restore into a fresh database beside the test database (only when the
tests run on PostgreSQL, skipped without pg_dump).
"""

import shutil
import sqlite3

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from ouderportaal.core.backup import BackupError, restore, table_rows

pytestmark = pytest.mark.django_db(transaction=True)  # the backup sees committed rows only, as in production

ENGINE = settings.DATABASES["default"]["ENGINE"]


@pytest.fixture
def demo():
    from ouderportaal.demo.build import build_demo

    build_demo()


def live_rows():
    with connection.cursor() as cursor:
        rows = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            rows[table] = cursor.fetchone()[0]
    return rows


def check_same_rows(before, after):
    assert set(after) == set(before), f"tables missing or extra: {set(before) ^ set(after)}"
    differing = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    assert not differing, f"rows before and after (table: before, after): {differing}"
    # The demo fills the tables that matter: the comparison is not one of empty tables.
    for table in ["accounts_user", "school_pupil", "school_guardianship", "school_medicalinfo", "core_auditlogentry"]:
        assert before[table] > 0, table


@pytest.mark.skipif(not ENGINE.endswith("sqlite3"), reason="the SQLite backup (the tests run on PostgreSQL)")
def test_sqlite_backup_restores_every_row_into_a_fresh_file(tmp_path, demo):
    before = live_rows()
    call_command("backup", str(tmp_path / "backup.sqlite3"))
    fresh = {**settings.DATABASES["default"], "NAME": str(tmp_path / "fresh.sqlite3")}
    restore(tmp_path / "backup.sqlite3", fresh)
    check_same_rows(before, table_rows(fresh))
    with sqlite3.connect(fresh["NAME"]) as restored:
        assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(not ENGINE.endswith("postgresql"), reason="the PostgreSQL backup (the tests run on SQLite)")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="no pg_dump (apt-get install postgresql-client)")
def test_postgresql_dump_restores_every_row_into_a_fresh_database(tmp_path, demo):
    before = live_rows()
    call_command("backup", str(tmp_path / "backup.dump"))
    db = settings.DATABASES["default"]
    fresh = {**db, "NAME": f"{connection.settings_dict['NAME']}_restore"}
    admin = {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"), "password": db.get("PASSWORD")}
    admin = {key: value for key, value in admin.items() if value}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{fresh["NAME"]}"')
        server.execute(f'CREATE DATABASE "{fresh["NAME"]}"')
    try:
        restore(tmp_path / "backup.dump", fresh)
        check_same_rows(before, table_rows(fresh))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{fresh["NAME"]}" WITH (FORCE)')


def test_restore_refuses_a_database_that_has_tables(tmp_path):
    occupied = tmp_path / "occupied.sqlite3"
    with sqlite3.connect(occupied) as db:
        db.execute("CREATE TABLE kept (id integer)")
        db.execute("INSERT INTO kept VALUES (1)")
    backup = tmp_path / "backup.sqlite3"
    sqlite3.connect(backup).close()
    with pytest.raises(BackupError, match="not empty"):
        restore(backup, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(occupied)})
    assert table_rows({"ENGINE": "django.db.backends.sqlite3", "NAME": str(occupied)}) == {"kept": 1}


def test_restore_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no backup at"):
        call_command("restore", str(tmp_path / "missing.dump"))
