"""Shared test setup: a non-interactive plot backend, and progress kept out of the user's home."""

import os
import tempfile
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

# Set before any kernel starts, so nbval's kernels inherit it too.
_PROGRESS_DIR = tempfile.mkdtemp(prefix="trotsky-edu-progress-")
os.environ["TROTSKY_EDU_PROGRESS"] = str(Path(_PROGRESS_DIR) / "progress.json")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened, so tests don't leak memory or state."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
