"""The applicant's name folded (lower case, no diacritics), for the desk's search."""

from django.db import migrations, models

from gandan.core.text import fold


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Along the primary key, 2,000 dossiers at a time: applicant_name has no index, so an
    # UPDATE per distinct name would read the whole table once per name.
    Dossier = apps.get_model("onestop", "Dossier")
    last = 0
    while batch := list(
        Dossier.objects.filter(pk__gt=last).order_by("pk").only("pk", "applicant_name")[:2000]
    ):
        for dossier in batch:
            dossier.applicant_search_name = fold(dossier.applicant_name)
        Dossier.objects.bulk_update(batch, ["applicant_search_name"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("onestop", "0002_dossier_result_file")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_search_name",
            field=models.CharField(
                blank=True, editable=False, max_length=120, verbose_name="người nộp (không dấu)"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
