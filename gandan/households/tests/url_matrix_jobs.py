"""Rows of the persona × URL matrix for the jobs screens (reclassifying a year in the background).

A job works on a whole province, so only the province leader among the personas sees one;
commune roles get 404, as for a job that does not exist. Starting one is for a specialist of
the province (none among the personas, see ``test_jobs.py``): everyone else's POST is a 404.
:func:`job_of_hue` queues a reclassification of province 46 without running it.
"""

from __future__ import annotations

from gandan.core.models import Job
from gandan.core.testing.personas import Personas, kept_on_personas
from gandan.core.testing.url_matrix import LOGIN, STAFF_ONLY, Row, expect

YEAR = 2026


@kept_on_personas
def job_of_hue(personas: Personas) -> Job:
    from gandan.households.tasks import reclassify_job

    return reclassify_job(year=YEAR, province_code=personas.province.code, enqueue=False)


URLS: dict[str, Row] = {
    "households/jobs/": Row(
        lambda p: "/households/jobs/",
        STAFF_ONLY,
        post_data=lambda p: {"year": str(YEAR), "province": p.province.code},
        post=expect(404, 404, 404, 404, LOGIN),
    ),
    "households/jobs/<int:pk>/": Row(
        lambda p: f"/households/jobs/{job_of_hue(p).pk}/", expect(404, 404, 404, 200, LOGIN)
    ),
}
