"""Small timing helpers for the benchmark: a clock and the median/p95 summary of samples."""

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def timed(call: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> tuple[float, T]:
    """Call `call` once; return the seconds it took and what it returned."""
    started = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - started, result


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` in 0..1) of `values`; 0.0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """Median and p95 of durations given in seconds, in milliseconds rounded to 0.01."""
    if not seconds:
        return {"median": 0.0, "p95": 0.0}
    return {
        "median": round(statistics.median(seconds) * 1000, 2),
        "p95": round(percentile(seconds, 0.95) * 1000, 2),
    }


def ratio(slow: float, fast: float) -> float | None:
    """How many times `fast` beats `slow`, or None when `fast` is zero."""
    if fast <= 0:
        return None
    times = slow / fast
    return round(times, 1 if times >= 1 else 2)
