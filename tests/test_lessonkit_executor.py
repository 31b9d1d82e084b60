"""The notebook client looks at its sockets again every half second, so a lost wake-up costs no more."""

import asyncio
import time
from queue import Empty

import nbformat
import pytest

from trotsky_edu.lessonkit import executor
from trotsky_edu.lessonkit.executor import SteadyNotebookClient, _in_slices, notebook_client


class SleepyChannel:
    """A channel whose message is there all along, but whose wait only notices it when it times out."""

    def __init__(self, message_after: float | None):
        self.arrives = None if message_after is None else time.monotonic() + message_after
        self.waits = []

    async def get_msg(self, timeout=None):
        self.waits.append(timeout)
        await asyncio.sleep(timeout)
        if self.arrives is not None and time.monotonic() >= self.arrives:
            return {"msg_type": "execute_reply"}
        raise Empty


def test_a_message_missed_by_a_long_wait_is_found_within_a_slice(monkeypatch):
    monkeypatch.setattr(executor, "SLICE", 0.05)
    channel = SleepyChannel(message_after=0.12)
    started = time.monotonic()
    message = asyncio.run(_in_slices(channel.get_msg)(timeout=30))
    assert message == {"msg_type": "execute_reply"}
    assert time.monotonic() - started < 1  # not the 30 s a single wait would have taken
    assert all(wait <= 0.05 for wait in channel.waits)


def test_no_message_still_times_out_at_the_deadline(monkeypatch):
    monkeypatch.setattr(executor, "SLICE", 0.05)
    started = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(_in_slices(SleepyChannel(message_after=None).get_msg)(timeout=0.2))
    assert 0.2 <= time.monotonic() - started < 0.5


def test_runs_a_notebook_in_the_given_folder(tmp_path):
    (tmp_path / "here.txt").write_text("found", encoding="utf-8")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(open('here.txt').read())")])
    client = notebook_client(notebook, folder=tmp_path, timeout=60, kernel_name="python3")
    assert isinstance(client, SteadyNotebookClient)
    client.execute()
    assert notebook.cells[0].outputs[0].text == "found\n"


def test_both_ways_of_starting_a_client_wait_in_slices(tmp_path):
    """``execute()`` starts its client with the coroutine, ``setup_kernel()`` (the benchmark) with the
    synchronous form: both must get the sliced waits."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    client = notebook_client(notebook, folder=tmp_path, timeout=60, kernel_name="python3")
    with client.setup_kernel():
        for channel in (client.kc.shell_channel, client.kc.iopub_channel):
            assert channel.get_msg.__name__ == "get_msg_in_slices"
        client.execute_cell(notebook.cells[0], 0)
    assert notebook.cells[0].outputs[0].data["text/plain"] == "2"
