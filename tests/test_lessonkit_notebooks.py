"""Reading and writing lesson notebooks."""

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.notebooks import read_notebook, write_notebook


def test_a_broken_notebook_file_gives_a_clear_message(tmp_path):
    """A file that is not notebook JSON is reported by name, with the fix, not as a traceback."""
    path = tmp_path / "01-a.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(LessonkitError, match="not a readable notebook .* restore it"):
        read_notebook(path)


def test_a_missing_notebook_is_reported(tmp_path):
    """A notebook that does not exist says so."""
    with pytest.raises(LessonkitError, match="does not exist"):
        read_notebook(tmp_path / "nope.ipynb")


def test_write_notebook_saves_like_jupyterlab(tmp_path):
    """Written notebooks round-trip and end with a newline, as JupyterLab saves them."""
    path = tmp_path / "sub" / "01-a.ipynb"
    write_notebook(new_notebook(cells=[new_markdown_cell("# Title")]), path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n "cells"')
    assert nbformat.read(path, as_version=4).cells[0].source == "# Title"
