"""Shared test setup: a non-interactive plot backend, and progress kept out of the user's home."""

import os
import shutil
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


FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"


@pytest.fixture
def course_dir(tmp_path, monkeypatch):
    """A copy of the fixture course, as the working folder, with fixture source documents in ../shared/sources
    beside it, where the own-words check looks for them."""
    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    shutil.copytree(FIXTURE_COURSE.parent / "shared", tmp_path / "shared")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def fixture_kernels(tmp_path, monkeypatch):
    """Kernels started from here read the fixture course's question banks and keep progress in a temporary file."""
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    shutil.copy(FIXTURE_COURSE.parent / "kernel_startup.py", startup / "00-fixture-banks.py")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("TROTSKY_EDU_TEST_BANKS", str(FIXTURE_COURSE / "data" / "exercises"))
    monkeypatch.setenv("TROTSKY_EDU_PROGRESS", str(tmp_path / "progress.json"))
