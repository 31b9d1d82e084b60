"""A file's stamp, to tell whether it changed since it was last read without reading it again."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path


def file_stamp(path: Traversable | Path) -> tuple[int, int] | None:
    """(modification time in ns, size) of ``path``, or None where it cannot be known (a missing file, a zipped install)."""
    try:
        status = path.stat()
    except (AttributeError, OSError):
        return None
    return status.st_mtime_ns, status.st_size
