from django.db import migrations

from ouderportaal.backoffice.search import postgresql_fold_sql


def create_fold(apps, schema_editor):
    # SQLite gets its op_fold from Python on every connection (backoffice.apps).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgresql_fold_sql())


def drop_fold(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS op_fold(text)")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_fold, drop_fold, elidable=False)]
