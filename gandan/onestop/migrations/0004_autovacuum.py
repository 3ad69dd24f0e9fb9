"""Statistics kept current as dossiers arrive (PostgreSQL only): analyse after 1 % of the rows
(+ 1,000) have changed instead of 10 %, so that the desk's and the dashboard's plans know the
last days' dossiers (≈ 1,500 a day in Huế) in a table of millions."""

from django.db import migrations

from gandan.core.operations import AutovacuumSettings


class Migration(migrations.Migration):
    dependencies = [("onestop", "0003_dossier_applicant_search_name")]

    operations = [
        AutovacuumSettings(
            "dossier",
            autovacuum_analyze_scale_factor=0.01,
            autovacuum_analyze_threshold=1000,
            autovacuum_vacuum_insert_scale_factor=0.02,
        )
    ]
