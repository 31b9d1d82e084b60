"""Exercises: question banks written as data, pure checks, thin widget views, saved progress.

- :mod:`~trotsky_edu.exercises.bank` reads and validates ``data/exercises/<lesson>.yaml``;
- :mod:`~trotsky_edu.exercises.checks` grades an answer and returns a :class:`Result`
  (no display code);
- :mod:`~trotsky_edu.exercises.widgets` shows a question with ipywidgets (``exercise``);
- :mod:`~trotsky_edu.exercises.answer_key` proves a lesson's widgets work (``self_check``);
- :mod:`~trotsky_edu.exercises.progress` keeps a student's answers in a per-user file;
- :mod:`~trotsky_edu.exercises.progress_view` shows completion (``progress_widget``).

Nothing is imported here, so loading the bank or the checks never loads ipywidgets.
"""
