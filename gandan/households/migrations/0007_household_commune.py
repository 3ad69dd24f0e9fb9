import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def settle(apps, schema_editor):
    """Each household's commune: that of its latest placement (as
    ``households.services.registry.households_place_settle``, on the models of this point)."""
    Household = apps.get_model("households", "Household")
    Placement = apps.get_model("households", "Placement")
    latest = Placement.objects.filter(household=models.OuterRef("pk")).order_by(
        models.F("valid_from").desc(nulls_last=True), "-pk"
    )
    Household.objects.update(commune_id=models.Subquery(latest.values("unit_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0003_unit_code_index"),
        ("households", "0006_household_list_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.unit",
                verbose_name="xã, phường nơi cư trú",
            ),
        ),
        migrations.RunPython(settle, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(fields=["commune", "code", "id"], name="household_commune_order"),
        ),
        migrations.RunSQL("ANALYZE households_household", migrations.RunSQL.noop, elidable=True),
    ]
