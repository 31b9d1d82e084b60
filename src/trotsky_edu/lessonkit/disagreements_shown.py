"""Does a lesson show every disagreement between sources that its period meets?

``data/disagreements.csv`` records where the course's sources contradict each other; its ``lesson``
column names the part of the course each belongs to (early, revolution, civil_war, succession, exile,
memory). ``lessons/course.toml`` gives each lesson its ``topics``, the parts it teaches. A lesson shows a
disagreement with a code cell ``show_disagreement("<id>")`` right after the text that meets it, so that a
disputed date or judgement is never presented as settled; this module finds the lesson's calls and the
disagreements it still has to show.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from nbformat import NotebookNode

from trotsky_edu.datasets import read_raw, read_schema
from trotsky_edu.lessonkit.cells import is_answer_key, is_instructor

_SHOW_CALL = re.compile(r"""\bshow_disagreement\(\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Recorded:
    """One disagreement as the data records it: its id, its topic and the part of the course it belongs to."""

    id: str
    topic: str
    part: str


@dataclass(frozen=True)
class Disagreements:
    """The recorded disagreements, and the parts of the course they may belong to."""

    records: tuple[Recorded, ...]
    parts: tuple[str, ...]


def read_disagreements(data: Path | Traversable) -> Disagreements | str:
    """The disagreements recorded in the data folder ``data``, or a one-line message saying why they cannot be read."""
    try:
        schema = read_schema(data)["disagreements"]
        frame = read_raw(schema, data)
        records = tuple(
            Recorded(str(row["disagreement_id"]), str(row["topic"]), str(row["lesson"])) for _, row in frame.iterrows()
        )
    except (OSError, KeyError, TypeError, ValueError) as error:  # reported as one line, never as a traceback
        return f"the disagreements in {data} cannot be read ({error}) — run `trotsky-edu validate` and fix what it reports"
    return Disagreements(records, schema.columns["lesson"].categories)


def shown_ids(cell: NotebookNode) -> list[str]:
    """The ids of the ``show_disagreement("id")`` calls in a code cell the student sees (commented lines do not count)."""
    if cell.cell_type != "code" or is_answer_key(cell) or is_instructor(cell):
        return []
    code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("#"))
    return _SHOW_CALL.findall(code)


def disagreement_problems(
    cells: Iterable[tuple[int, NotebookNode]], topics: tuple[str, ...], recorded: Disagreements,
) -> Iterator[tuple[int | None, str]]:
    """``(cell, message)`` for each unknown topic, each call naming no recorded disagreement, and each disagreement
    of the lesson's topics that it does not show."""
    for topic in topics:
        if topic not in recorded.parts:
            yield None, (
                f"course.toml gives this lesson the topic {topic!r}, which is not a part of the course — "
                f"choose from {', '.join(recorded.parts)}"
            )
    ids = [record.id for record in recorded.records]
    shown: set[str] = set()
    for number, cell in cells:
        for disagreement_id in shown_ids(cell):
            shown.add(disagreement_id)
            if disagreement_id not in ids:
                near = difflib.get_close_matches(disagreement_id, ids, n=1, cutoff=0.5)
                hint = f"did you mean {near[0]!r}?" if near else "see the disagreement_id column of data/disagreements.csv"
                yield number, f"show_disagreement({disagreement_id!r}) names no recorded disagreement — {hint}"
    for record in recorded.records:
        if record.part in topics and record.id not in shown:
            yield None, (
                f"does not show the disagreement {record.id!r} ({record.topic}), which data/disagreements.csv records "
                f"for its part of the course ({record.part}) — add a code cell `show_disagreement({record.id!r})` "
                f"right after the text that meets it"
            )
