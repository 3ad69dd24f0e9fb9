"""Placements carry their household's ethnic-minority flag, in the report's covering index.

The report then counts every household and the ethnic-minority ones in one index-only query,
instead of a second query joining the placements with the ethnic-minority households (whose
own index, made for that query, goes).
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    placement = apps.get_model("households", "Placement")
    household = apps.get_model("households", "Household")
    placement.objects.filter(
        household_id__in=household.objects.filter(ethnic_minority=True).values("pk")
    ).update(ethnic_minority=True)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0002_report_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="ethnic_minority",
            field=models.BooleanField(default=False, verbose_name="hộ dân tộc thiểu số"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(model_name="placement", name="placement_count_cover"),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                fields=["unit", "valid_from", "valid_to", "hamlet", "area", "ethnic_minority"],
                name="placement_count_cover",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="ethnic_minority",
            field=models.BooleanField(default=False, verbose_name="hộ dân tộc thiểu số"),
        ),
    ]
