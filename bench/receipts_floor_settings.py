"""gandan's settings with the benchmark's two floor URLs (see ``bench.receipts_floor``)."""

from gandan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.receipts_floor"
