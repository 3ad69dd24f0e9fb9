"""Statistics and the visibility map kept current during a review season (PostgreSQL only).

Analyse after 1 % of the rows (+ 1,000) have changed instead of 10 %, and vacuum after 2 % of
the rows were inserted instead of 20 %, so that the report's plans know a new year's lists
while they are being entered and its index-only scans stay index-only.
"""

from django.db import migrations

from gandan.core.operations import AutovacuumSettings

SEASON = {
    "autovacuum_analyze_scale_factor": 0.01,
    "autovacuum_analyze_threshold": 1000,
    "autovacuum_vacuum_insert_scale_factor": 0.02,
}


class Migration(migrations.Migration):
    dependencies = [("households", "0004_household_cover_indexes")]

    operations = [
        AutovacuumSettings("assessment", **SEASON),
        AutovacuumSettings("placement", **SEASON),
    ]
