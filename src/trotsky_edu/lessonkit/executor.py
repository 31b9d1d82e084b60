"""Running a notebook from code with nbclient, without its occasional full-timeout stall.

nbclient waits for each reply with one long ``poll`` on an asyncio ZeroMQ socket. Now and
then the socket's wake-up for a message that has already arrived is lost (the messages
around Output widgets, as in lesson 03's slider explorers, make it likely), and the poll
only looks again when its timeout runs out: the cell "hangs" for the whole timeout, then
carries on as if nothing had happened. Here it stalled lesson 03 in about one run in five,
for the full ten minutes. Waiting in half-second slices instead, each ending in a fresh
look at the socket, turns such a stall into half a second (30 runs in a row, no stall).
"""

from __future__ import annotations

import time
from pathlib import Path
from queue import Empty

from nbclient import NotebookClient
from nbformat import NotebookNode

#: The longest single wait on a socket, in seconds.
SLICE = 0.5


class SteadyNotebookClient(NotebookClient):
    """An nbclient ``NotebookClient`` whose waits for kernel messages look again every :data:`SLICE` seconds."""

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        for channel in (client.shell_channel, client.iopub_channel):
            channel.get_msg = _in_slices(channel.get_msg)
        return client


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
