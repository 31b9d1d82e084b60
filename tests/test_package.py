"""The package itself: what importing it loads, and what its first use does to the kernel's garbage collector."""

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_import_is_lazy():
    """Importing the package must not pull in matplotlib or ipywidgets."""
    code = "import sys, trotsky_edu; print(sorted(m for m in ('matplotlib', 'ipywidgets', 'nbformat', 'pandas') if m in sys.modules))"
    assert _run(code) == "[]"


def test_what_a_lesson_imports_leaves_out_the_calendar_library_until_a_date_is_converted():
    """convertdate is imported by the first Julian date, not by the imports every lesson starts with."""
    code = """
import sys
from trotsky_edu import exercise, progress_widget, load_events, plot_journey, plot_timeline, show_disagreement
before = "convertdate" in sys.modules
from trotsky_edu.calendar import gregorian_to_julian
print(before, gregorian_to_julian("1917-11-07").isoformat(), "convertdate" in sys.modules)
"""
    assert _run(code) == "False 1917-10-25 True"


def test_what_a_lesson_imports_is_frozen_out_of_the_collectors_way():
    """After the first plot or exercise is imported, the libraries it loaded are no longer re-examined by every
    full collection; the lesson's own garbage is still collected."""
    code = """
import gc, weakref, trotsky_edu
before = gc.get_freeze_count()
from trotsky_edu import plot_timeline, exercise
after = gc.get_freeze_count()

class Node:
    pass

a, b = Node(), Node()
a.other, b.other = b, a  # a cycle only the collector can free
gone = weakref.ref(a)
del a, b
gc.collect()
print(before, after > 100_000, gone() is None)
"""
    assert _run(code) == "0 True True"
