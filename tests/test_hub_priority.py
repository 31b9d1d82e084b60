"""Students' processes run below the class service: their own priority and, on Linux, their session's group's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from trotsky_edu.hub.priority import STUDENT_NICE

REPORT = "import os; from pathlib import Path; print(os.getpriority(os.PRIO_PROCESS, 0)); print(Path('/proc/self/autogroup').read_text() if Path('/proc/self/autogroup').exists() else '')"


def run_in_new_session(code: str) -> list[str]:
    """Run ``code`` in a Python of its own session (as the hub's spawner starts a server), and its printed lines."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          start_new_session=True, check=True)
    return done.stdout.splitlines()


def test_a_lowered_process_runs_below_normal_in_its_own_priority_and_its_sessions():
    before = run_in_new_session(REPORT)
    after = run_in_new_session(f"from trotsky_edu.hub.priority import lower; lower()\n{REPORT}")
    assert int(after[0]) == max(STUDENT_NICE, int(before[0]))
    if not Path("/proc/self/autogroup").exists():
        pytest.skip("this system has no autogroups")
    assert before[1].endswith("nice 0") and after[1].endswith(f"nice {STUDENT_NICE}")


def test_lowering_a_process_that_has_gone_is_harmless():
    from trotsky_edu.hub.priority import lower

    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    lower(finished.pid)  # no error: it has ended


def test_kernels_are_started_lowered_by_the_registered_provisioner():
    from importlib.metadata import entry_points

    from trotsky_edu.hub.priority import PROVISIONER, StudentKernelProvisioner

    (entry,) = entry_points(group="jupyter_client.kernel_provisioners", name=PROVISIONER)
    assert entry.load() is StudentKernelProvisioner
