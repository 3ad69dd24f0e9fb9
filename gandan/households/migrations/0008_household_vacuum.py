from django.db import migrations


def vacuum(apps, schema_editor):
    """The commune's fill rewrote every household once: on PostgreSQL, VACUUM, as autovacuum
    would later, so that a list's pages read the new index alone from the start."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE households_household")


class Migration(migrations.Migration):
    atomic = False  # VACUUM runs outside a transaction

    dependencies = [("households", "0007_household_commune")]

    operations = [migrations.RunPython(vacuum, migrations.RunPython.noop, elidable=True)]
