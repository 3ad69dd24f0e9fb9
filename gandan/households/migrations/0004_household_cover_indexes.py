"""Covering indexes for the report's look-ups by household, replacing the narrower ones.

The poverty report asks, for each household that dropped off every list, where it is
registered on the review day, and for each household newly on a list, whether it was on it in
an earlier review. With these indexes both are answered from the index alone; at five times
the demo's data the table pages they visited no longer fit in PostgreSQL's buffers. The new
indexes start with the household, so the foreign keys' own indexes and (household, year) go.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0003_placement_ethnic_minority"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["household", "year", "standing", "recorded_on", "superseded_on"],
                name="assessment_household_cover",
            ),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                fields=["household", "valid_from", "valid_to", "unit", "hamlet"],
                name="placement_household_cover",
            ),
        ),
        migrations.RemoveIndex(
            model_name="assessment",
            name="households__househo_ee1abb_idx",
        ),
        migrations.AlterField(
            model_name="assessment",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="households.household",
                verbose_name="hộ",
            ),
        ),
        migrations.AlterField(
            model_name="placement",
            name="household",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="placements",
                to="households.household",
                verbose_name="hộ",
            ),
        ),
    ]
