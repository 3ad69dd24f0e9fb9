"""The applicant's name folded (lower case, no diacritics), for the desk's search."""

from django.db import migrations, models

from gandan.core.text import fold


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    # One UPDATE per distinct name: names repeat, and no dossier row travels through Python.
    Dossier = apps.get_model("onestop", "Dossier")
    names = list(Dossier.objects.order_by().values_list("applicant_name", flat=True).distinct())
    for name in names:
        Dossier.objects.filter(applicant_name=name).update(applicant_search_name=fold(name))


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
