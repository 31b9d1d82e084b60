"""Execute notebooks top to bottom in fresh kernels and record their time, peak memory and per-cell times.

Every notebook, the floor included, runs the same way: nbclient starts a new ``python3``
kernel in the notebook's folder, runs every cell in order, and then runs one extra probe
cell that prints the kernel's peak resident memory (``ru_maxrss``) and the CPU seconds the
kernel has used since it started. The clock covers kernel start and every cell, as a
student's "Restart Kernel and Run All Cells" would; it stops before the probe. Wall time is
what a student waits; kernel CPU time is what a busy machine does not inflate.

The kernel start in a notebook's run-all figure is pooled: the median, over every run of
every notebook measured together, of the seconds until the kernel answered. Starting the
kernel does not depend on the notebook, and it is the noisiest part of a run: jupyter_client's
readiness check waits 0.2 s for a message on IOPub and starts over when the subscription is
not yet live, so a random share of starts take 0.2 s longer (20 starts of one notebook here:
ready after 0.44–0.75 s, its cell 0.49–0.61 s). Each notebook's own median would let that
coin flip move a lesson's ratio to the floor by ±0.2×; pooled, the ratio compares the cells.

Each notebook is read once, so every run (and the report of its slowest cells) sees the
same cells even if the file is edited meanwhile; the file on disk is never changed."""

from __future__ import annotations

import ast
import copy
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from traitlets.config import Config

from trotsky_edu.lessonkit.executor import notebook_client

FLOOR_NAME = "floor.ipynb"
FLOOR_SOURCE = "import matplotlib.pyplot\nimport pandas\nimport ipywidgets"
PROBE_SOURCE = ("import resource\n_usage = resource.getrusage(resource.RUSAGE_SELF)\n"
                "print(_usage.ru_maxrss, _usage.ru_utime + _usage.ru_stime)")


class NotebookFailed(Exception):
    """A notebook could not be run to the end; the message names the cell and the error."""


def write_floor_notebook(folder: Path) -> Path:
    """Write the floor notebook (one cell importing matplotlib.pyplot, pandas and ipywidgets) into ``folder``."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(FLOOR_SOURCE))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / FLOOR_NAME
    nbformat.write(notebook, path)
    return path


@dataclass(frozen=True)
class NotebookRun:
    """One execution: seconds from kernel start to the last cell's end, the kernel's CPU seconds and
    peak memory, seconds per cell, and the seconds until the kernel answered (part of ``seconds``)."""

    seconds: float
    cpu_seconds: float
    peak_mib: float
    cell_seconds: tuple[float, ...]
    ready_seconds: float = 0.0


def run_notebook(original: NotebookNode, path: Path, *, env: dict[str, str], timeout: int = 600,
                 ipc: Path | None = None) -> NotebookRun:
    """Execute a copy of ``original`` (read from ``path``) once in a fresh kernel started with ``env`` in
    the notebook's folder; raise NotebookFailed if a cell fails.

    The kernel is reached over TCP ports (Jupyter's default), or with ``ipc`` over Unix sockets
    whose paths start with ``ipc`` (absolute: the kernel runs in another folder than the client)."""
    notebook = copy.deepcopy(original)
    cells = list(notebook.cells)
    probe = nbformat.v4.new_code_cell(PROBE_SOURCE)
    notebook.cells.append(probe)  # in memory only
    config = Config()
    if ipc is not None:
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(ipc.resolve())
    client = notebook_client(notebook, folder=path.parent, timeout=timeout, kernel_name="python3", config=config,
                             startup_timeout=timeout)
    cell_seconds = []
    start = time.perf_counter()
    # The kernel's stderr holds only start-up notices here; errors in cells arrive as messages.
    with client.setup_kernel(env=env, stderr=subprocess.DEVNULL):
        ready = time.perf_counter() - start
        for index, cell in enumerate(cells):
            began = time.perf_counter()
            _execute(client, cell, index, path)
            cell_seconds.append(time.perf_counter() - began)
        seconds = time.perf_counter() - start
        _execute(client, probe, len(cells), path)
    peak_kib, cpu_seconds = _read_probe(probe, path)
    return NotebookRun(seconds, cpu_seconds, peak_kib / 1024, tuple(cell_seconds), ready)


def _execute(client: NotebookClient, cell, index: int, path: Path) -> None:
    try:
        client.execute_cell(cell, index)
    except CellExecutionError as error:
        raise NotebookFailed(f"{path.name} cell {index + 1}: {error.ename}: {error.evalue}") from None
    except (CellTimeoutError, DeadKernelError) as error:
        raise NotebookFailed(f"{path.name} cell {index + 1}: {type(error).__name__}") from None


def _read_probe(probe, path: Path) -> tuple[int, float]:
    """Peak memory in KiB (Linux reports ru_maxrss in KiB) and CPU seconds, as the probe printed them."""
    text = "".join(output.get("text", "") for output in probe.outputs if output.get("name") == "stdout")
    try:
        peak, cpu = text.split()
        return int(peak), float(cpu)
    except ValueError:
        raise NotebookFailed(f"{path.name}: the probe printed {text!r}, not memory and CPU time") from None


@dataclass
class NotebookTimes:
    """All runs of one notebook, or the reason it could not run; ``kernel_start`` is the pooled
    kernel start (see the module's docstring) once :func:`pool_kernel_start` has set it."""

    path: Path
    notebook: NotebookNode
    runs: list[NotebookRun] = field(default_factory=list)
    error: str = ""
    kernel_start: float | None = None

    @property
    def seconds(self) -> float:
        """Median seconds to run the notebook: the pooled kernel start, if set, and the median time after it."""
        if self.kernel_start is None:
            return statistics.median(run.seconds for run in self.runs)
        return self.kernel_start + statistics.median(run.seconds - run.ready_seconds for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        """Median CPU seconds of the kernel."""
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_mib(self) -> float:
        """Median peak memory of the kernel, MiB."""
        return statistics.median(run.peak_mib for run in self.runs)

    def cell_seconds(self) -> list[float]:
        """Median seconds of each cell, in notebook order (0 for cells that do not run)."""
        return [statistics.median(times) for times in zip(*(run.cell_seconds for run in self.runs))]


def time_notebooks(paths: list[Path], *, repeat: int, env: dict[str, str], timeout: int = 600,
                   progress=None) -> list[NotebookTimes]:
    """Run every notebook ``repeat`` times, taking turns (round robin) so that slow spells of a busy
    machine fall on all of them alike. A notebook that fails is not run again."""
    results = [NotebookTimes(path, nbformat.read(path, as_version=4)) for path in paths]
    for round_number in range(1, repeat + 1):
        for result in results:
            if result.error:
                continue
            if progress:
                progress(f"run {round_number}/{repeat}: {result.path.name}")
            try:
                result.runs.append(run_notebook(result.notebook, result.path, env=env, timeout=timeout))
            except NotebookFailed as error:
                result.error = str(error)
    pool_kernel_start(results)
    return results


def pool_kernel_start(results: list[NotebookTimes]) -> None:
    """Give every notebook the same kernel start: the median seconds until the kernel answered, over all their runs."""
    starts = [run.ready_seconds for result in results for run in result.runs]
    if not starts:
        return
    pooled = statistics.median(starts)
    for result in results:
        result.kernel_start = pooled


@dataclass(frozen=True)
class SlowCell:
    """A cell that takes a large part of its notebook's time."""

    notebook: str
    number: int  # counted from 1, as `trotsky-edu check` counts
    seconds: float
    share: float
    first_line: str


def slowest_cells(times: NotebookTimes, *, count: int = 3, at_least: float = 0.2) -> list[SlowCell]:
    """The ``count`` slowest cells of a notebook that take at least ``at_least`` seconds (median)."""
    if not times.runs:
        return []
    notebook = times.notebook
    medians = times.cell_seconds()
    ranked = sorted(range(len(medians)), key=medians.__getitem__, reverse=True)[:count]
    return [
        SlowCell(times.path.stem, index + 1, medians[index], medians[index] / times.seconds,
                 _first_line(notebook.cells[index].source))
        for index in ranked
        if medians[index] >= at_least
    ]


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    text = lines[0] if lines else source.strip().splitlines()[0] if source.strip() else ""
    return text if len(text) <= 60 else text[:59] + "…"


#: The kinds of code cell a notebook's time is split into, in the order the report shows them.
CELL_KINDS = ("imports", "charts", "exercises", "answer key", "other")
#: What marks a cell of a kind, checked in this order (first match wins) for cells that do more than import.
_MARKS = (
    ("answer key", ("self_check(",)),
    ("charts", ("show_figure(", "plot_", "interactive(")),
    ("exercises", ("exercise(",)),
)


def cell_kind(source: str) -> str:
    """Which of :data:`CELL_KINDS` a code cell's ``source`` is: "imports" if it only imports."""
    try:
        statements = ast.parse(source).body
    except SyntaxError:  # IPython magics and the like
        statements = []
    if statements and all(isinstance(statement, (ast.Import, ast.ImportFrom)) for statement in statements):
        return "imports"
    return next((kind for kind, marks in _MARKS if any(mark in source for mark in marks)), "other")


@dataclass(frozen=True)
class TimeSplit:
    """Where one notebook's run-all time goes: kernel start and the gaps between cells, and each kind of cell."""

    notebook: str
    seconds: float
    outside_cells: float
    kinds: dict[str, tuple[float, int]]  # kind -> (median seconds summed over its cells, number of cells)


def time_split(times: NotebookTimes) -> TimeSplit:
    """Split a notebook's median run-all time by :func:`cell_kind` (sums of per-cell medians)."""
    kinds = {kind: [0.0, 0] for kind in CELL_KINDS}
    medians = times.cell_seconds()
    for cell, seconds in zip(times.notebook.cells, medians):
        if cell.cell_type == "code":
            total = kinds[cell_kind(cell.source)]
            total[0] += seconds
            total[1] += 1
    return TimeSplit(times.path.stem, times.seconds, times.seconds - sum(medians),
                     {kind: (seconds, count) for kind, (seconds, count) in kinds.items()})
