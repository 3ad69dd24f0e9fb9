"""gandan's settings with one more URL, ``/bench/same-rows/`` (see ``bench.receipts_floor``)."""

from gandan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.receipts_floor"
