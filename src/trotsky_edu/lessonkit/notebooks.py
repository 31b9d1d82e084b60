"""Reading and writing lesson notebooks, with messages an instructor can act on."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.course import display_path


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook as nbformat 4; a missing or broken file raises a clear LessonkitError."""
    shown = display_path(path)
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise LessonkitError(f"{shown} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError, nbformat.reader.NotJSONError) as error:
        raise LessonkitError(f"{shown} is not a readable notebook ({error}) — restore it from version control") from None


def write_notebook(notebook: NotebookNode, path: Path) -> None:
    """Write a notebook the way JupyterLab saves it (one-space indent, sorted keys, final newline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
