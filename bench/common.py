"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Result:
    name: str
    gandan_ms: float
    baseline_ms: float
    baseline: str
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.gandan_ms / self.baseline_ms if self.baseline_ms else float("nan")


def median_ms(function: Callable[[], Any], *, repeat: int) -> float:
    function()  # warm caches and connections once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)
