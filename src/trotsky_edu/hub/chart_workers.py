"""The dashboard's charts, drawn in worker processes so the class service never stops to draw.

The service answers every request on one thread. Drawing a page's charts there (about 40 ms
each, thirty for six lessons) would hold up every student's answer behind the teacher's
first view, and would take over a second. Here the charts a page still needs are drawn by a
small pool of processes, in parallel, while the service goes on storing answers; the page
is put together when they are done, from :mod:`trotsky_edu.classreport.page`'s kept charts.

The workers are forked when the service starts, before it serves anything, so they share
its already-imported libraries. If a worker dies, the charts are drawn in the service
itself and a new pool is started.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from trotsky_edu.classreport.page import ChartKey, draw_chart, keep_chart

log = logging.getLogger("trotsky_edu.class_service")


def default_workers() -> int:
    """One worker per processor, at most four (a page has about thirty charts)."""
    return max(1, min(4, os.cpu_count() or 1))


#: How much lower the workers' scheduling priority is than the service's (see :func:`_yield_to_the_class`).
NICENESS = 10


def _ready() -> int:
    return os.getpid()


def _yield_to_the_class() -> None:
    """Run at a lower priority: charts are drawn a moment after answers arrive, just when the next
    submits come, and the students' kernels and the service itself should have the processors first."""
    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):  # no nice on this system: draw at the same priority
        pass


class ChartWorkers:
    """A pool of ``workers`` processes drawing charts; ``workers=0`` draws in the service itself."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = self._start() if workers else None

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_yield_to_the_class)
        for _ in range(self.workers):  # start every worker now, before the service takes requests
            pool.submit(_ready)
        return pool

    async def draw(self, keys: list[ChartKey]) -> None:
        """Draw the charts of ``keys`` and keep them for the page."""
        if not keys:
            return
        if self.pool is None:
            for key in keys:
                keep_chart(key, draw_chart(key))
            return
        try:
            drawn = await asyncio.gather(*(asyncio.wrap_future(self.pool.submit(draw_chart, key)) for key in keys))
        except BrokenProcessPool:
            log.warning("a chart worker died; drawing in the service and starting new workers")
            self.pool = self._start()
            drawn = [draw_chart(key) for key in keys]
        for key, html in zip(keys, drawn):
            keep_chart(key, html)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
