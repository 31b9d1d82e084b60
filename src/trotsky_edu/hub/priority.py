"""Students' servers and kernels run below the hub, the proxy and the class service on a shared machine.

When a whole class clicks Submit at once, thirty kernels and their servers want the
processors in the same instant; the class service that stores their answers must still get
its turn at once, or every answer waits behind the class's drawing. Two settings decide that
turn on Linux, and both are lowered here:

- the process's own priority (``nice``), which orders processes of one session;
- its **autogroup**'s priority (``/proc/PID/autogroup``). Most Linux distributions group
  the processes of each session and share the processors between the groups first. A
  student's server is started in a session of its own, and each kernel in another, so
  ``nice`` alone changes nothing between them and the service: thirty kernels would weigh
  thirty times what the service weighs.

``trotsky-edu student-server`` lowers both for the student's server and runs
``jupyterhub-singleuser``; its kernels are started by :class:`StudentKernelProvisioner`,
which lowers each new kernel the same way. Raising a priority again needs privileges a
student does not have. Elsewhere (macOS, or Linux without autogroups) the parts that do not
apply are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner

STUDENT_NICE = 10  # how far below the hub and the class service a student's processes run
PROVISIONER = "trotsky-edu-student"  # the entry point naming StudentKernelProvisioner


def lower(pid: int = 0) -> None:
    """Run process ``pid`` (0: this one) and its session's group :data:`STUDENT_NICE` steps below normal."""
    try:
        if os.getpriority(os.PRIO_PROCESS, pid) < STUDENT_NICE:
            os.setpriority(os.PRIO_PROCESS, pid, STUDENT_NICE)
    except OSError:
        pass  # the process has gone, or the system keeps no such setting
    try:
        Path(f"/proc/{pid or 'self'}/autogroup").write_text(str(STUDENT_NICE))
    except OSError:
        pass  # not Linux, or a kernel built without autogroups


class StudentKernelProvisioner(LocalProvisioner):
    """The local kernel provisioner, with each kernel lowered as it starts (it runs in a new session)."""

    async def post_launch(self, **kwargs) -> None:
        await super().post_launch(**kwargs)
        if self.pid:
            lower(self.pid)


def run_student_server(args: list[str]) -> None:
    """Lower this process, then become ``jupyterhub-singleuser args``, its kernels started lowered too."""
    lower()
    os.environ["JUPYTER_DEFAULT_PROVISIONER_NAME"] = PROVISIONER
    os.execvp("jupyterhub-singleuser", ["jupyterhub-singleuser", *args])
