"""What the class answered: the report a teacher reads the morning after a lesson.

:func:`report` reads a class's progress files (or exports, or folders of them) and returns a
:class:`ClassReport`: tables as pandas DataFrames (per lesson, per question, per option
chosen first, per typed answer, per written answer, per objective, and the students who may
need help), a chart per choice question (:meth:`ClassReport.plot_choices`), and the whole
report as one self-contained HTML page (:meth:`ClassReport.html`, or
``trotsky-edu progress report``). :mod:`~trotsky_edu.classreport.sample` makes a realistic
class to try it on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from trotsky_edu.classreport import inputs, tables
from trotsky_edu.exercises.bank import Bank, load_bank
from trotsky_edu.exercises.progress import course_lessons


@dataclass
class ClassReport:
    """A class's answers, as tables; ``notes`` say what was done with each file, ``skipped`` what was left out.

    ``unusual`` holds the notes about anything out of the ordinary for the person making the
    report, so they name the files even when the report is ``anonymous`` (the page does not).
    """

    title: str
    banks: dict[str, Bank]
    students: list[inputs.StudentWork]
    notes: list[str]
    unusual: list[str]
    skipped: list[str]
    file_count: int
    anonymous: bool
    lessons: pd.DataFrame = field(repr=False)
    questions: pd.DataFrame = field(repr=False)
    options: pd.DataFrame = field(repr=False)
    typed_answers: pd.DataFrame = field(repr=False)
    writings: pd.DataFrame = field(repr=False)
    objectives: pd.DataFrame = field(repr=False)
    help: pd.DataFrame = field(repr=False)

    def plot_choices(self, question_id: str, *, ax=None):
        """Draw how often each option of ``question_id`` was chosen on the first try; returns the Axes."""
        from trotsky_edu.classreport.charts import plot_choices

        options = self.options[self.options["question_id"] == question_id]
        if options.empty:
            raise ValueError(f"{question_id!r} is not a choice question of this report's lessons.")
        return plot_choices(options, question_id=question_id, ax=ax)

    def html(self, *, head: str = "", banner: str = "") -> str:
        """The report as one self-contained HTML page (``head`` and ``banner``: markup to add, see page.render)."""
        from trotsky_edu.classreport.page import render

        return render(self, head=head, banner=banner)

    def write_html(self, path: str | Path) -> Path:
        """Write :meth:`html` to ``path`` and return it."""
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path


def report(
    sources: str | Path | Iterable[str | Path],
    *,
    lessons: Iterable[str] | None = None,
    anonymous: bool = False,
    objectives_from: str | Path | None = None,
    title: str = "Class report",
) -> ClassReport:
    """The class report of the progress files in ``sources`` (files, folders, or ``-`` for standard input).

    ``lessons`` limits it to some lessons (default: every lesson of the course).
    ``anonymous`` replaces names by "Student 01", "Student 02", ... in the order of the
    names. ``objectives_from`` is a folder of lesson notebooks whose metadata gives each
    objective's wording (default: ``lessons/`` in the working folder, if it is there).
    """
    sources = [sources] if isinstance(sources, (str, Path)) else list(sources)
    banks = course_banks(lessons)
    work = inputs.read_class(sources, banks)
    texts = objective_texts(Path(objectives_from) if objectives_from else Path("lessons"))
    return build_report(work, banks, anonymous=anonymous, objectives=texts, title=title)


def course_banks(lessons: Iterable[str] | None = None) -> dict[str, Bank]:
    """The question banks of ``lessons`` (default: every lesson of the course), by lesson."""
    return {lesson: load_bank(lesson) for lesson in (course_lessons() if lessons is None else lessons)}


def build_report(work: inputs.ClassWork, banks: dict[str, Bank], *, anonymous: bool = False,
                 objectives: dict[tuple[str, str], str] | None = None, title: str = "Class report") -> ClassReport:
    """The report of students already read (from files by :func:`report`, or from the class service's database).

    ``objectives`` gives each objective's wording (:func:`objective_texts`), read once by the caller.
    """
    students, notes, unusual, skipped = work.students, work.notes, work.unusual, work.skipped
    if anonymous:
        students, hide = _anonymised(students, work.files)
        notes, skipped = [hide(line) for line in notes], [hide(line) for line in skipped]
    return ClassReport(
        title=title, banks=banks, students=students, notes=notes, unusual=unusual, skipped=skipped,
        file_count=len(work.files),
        anonymous=anonymous,
        lessons=tables.lesson_table(students, banks),
        questions=tables.question_table(students, banks),
        options=tables.option_table(students, banks),
        typed_answers=tables.typed_answer_table(students, banks),
        writings=tables.writing_table(students, banks),
        objectives=tables.objective_table(students, banks, objectives or {}),
        help=tables.help_table(students, banks),
    )


def _anonymised(students: list[inputs.StudentWork], files: list[str]):
    """Students renamed "Student 01", ... in name order, and a function that takes names and file names out of a line.

    File names are replaced too ("file 03"), since a class's files are usually named after their students.
    """
    import re

    renamed = [inputs.StudentWork(f"Student {n:02d}", [], s.answers) for n, s in enumerate(students, 1)]
    replacements = {file: f"file {n:02d}" for n, file in enumerate(files, 1)}
    words = {s.student: r.student for s, r in zip(students, renamed)}

    def hide(line: str) -> str:
        for file in sorted(replacements, key=len, reverse=True):
            line = line.replace(file, replacements[file])
        for name in sorted(words, key=len, reverse=True):
            line = re.sub(rf"\b{re.escape(name)}\b", words[name], line)
        return line

    return renamed, hide


def objective_texts(folder: Path) -> dict[tuple[str, str], str]:
    """``{(lesson, objective id): its wording}`` from the lesson notebooks in ``folder`` (empty if none)."""
    import json

    texts = {}
    for notebook in sorted(folder.glob("[0-9][0-9]-*.ipynb")) if folder.is_dir() else []:
        try:
            meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("trotsky_edu", {})
        except (OSError, ValueError):
            continue
        for objective in meta.get("objectives") or []:
            if isinstance(objective, dict) and objective.get("id"):
                texts[(notebook.stem, str(objective["id"]))] = str(objective.get("text", ""))
    return texts
