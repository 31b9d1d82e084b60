"""Running lessons from code (``refresh``, ``render``, the benchmark) with nbclient.

:func:`scratch_copy` gives a temporary copy of the lessons folder and a progress file to
run in, so that nothing is written among the lessons; :func:`execute` runs one lesson
there and turns a failing cell into a :class:`LessonkitError` naming it.

The client waits in slices, because of an occasional full-timeout stall (both ways of starting
it, ``execute()`` and ``setup_kernel()``, get them):

nbclient waits for each reply with one long ``poll`` on an asyncio ZeroMQ socket. Now and
then the socket's wake-up for a message that has already arrived is lost (the messages
around Output widgets, as in lesson 03's slider explorer, make it likely), and the poll
only looks again when its timeout runs out: the cell "hangs" for the whole timeout, then
carries on as if nothing had happened. Here it stalled lesson 03 in about one run in five,
for the full ten minutes. Waiting in half-second slices instead, each ending in a fresh
look at the socket, turns such a stall into half a second (30 runs in a row, no stall).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from queue import Empty

from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from jupyter_core.utils import run_sync
from nbformat import NotebookNode

from trotsky_edu.exercises.progress import ENV_VAR as PROGRESS_VARIABLE
from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.course import Course, display_path

#: The longest single wait on a socket, in seconds.
SLICE = 0.5


class SteadyNotebookClient(NotebookClient):
    """An nbclient ``NotebookClient`` whose waits for kernel messages look again every :data:`SLICE` seconds."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        for channel in (client.shell_channel, client.iopub_channel):
            channel.get_msg = _in_slices(channel.get_msg)
        return client

    # nbclient binds the synchronous form (used by ``setup_kernel``) to its own coroutine, not to an override.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)


def _in_slices(get_msg):
    """``get_msg(timeout)`` made of waits of at most :data:`SLICE` seconds; raises Empty at the same deadline."""

    async def get_msg_in_slices(timeout: float | None = None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE if deadline is None else max(0.0, min(SLICE, deadline - time.monotonic()))
            try:
                return await get_msg(timeout=left)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get_msg_in_slices


def notebook_client(notebook: NotebookNode, *, folder: Path, timeout: int, **options) -> SteadyNotebookClient:
    """A client that runs ``notebook`` with ``folder`` as its working directory, ``timeout`` seconds per cell."""
    return SteadyNotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": str(folder)}}, **options)


@contextmanager
def scratch_copy(course: Course) -> Iterator[tuple[Path, Path]]:
    """A temporary copy of ``course``'s lessons folder, and a progress file beside it, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="trotsky-edu-run-") as temp:
        folder = Path(temp) / "lessons"
        shutil.copytree(course.folder, folder)
        yield folder, Path(temp) / "progress.json"


def execute(notebook: NotebookNode, path: Path, *, folder: Path, progress: Path, timeout: int, edition: str) -> float:
    """Run every cell of ``notebook`` in ``folder``; return the seconds it took.

    A failing cell raises a LessonkitError naming the lesson (``path``), the edition and the cell.
    """
    client = notebook_client(notebook, folder=folder, timeout=timeout)
    started = time.perf_counter()
    try:
        client.execute(env={**os.environ, PROGRESS_VARIABLE: str(progress)})
    except CellExecutionError as error:
        number = next(
            (n for n, cell in enumerate(notebook.cells, start=1)
             if any(out.get("output_type") == "error" for out in cell.get("outputs", []))),
            None,
        )
        where = f"cell {number} of the {edition}: " if number else f"{edition}: "
        raise LessonkitError(
            f"{display_path(path)}: {where}{error.ename}: {error.evalue} — the lesson must run top to bottom; "
            f"fix the cell (run `trotsky-edu check` for other problems)"
        ) from None
    except (CellTimeoutError, DeadKernelError) as error:
        raise LessonkitError(f"{display_path(path)}: execution stopped ({error}) — run the lesson in JupyterLab to see why") from None
    return time.perf_counter() - started
