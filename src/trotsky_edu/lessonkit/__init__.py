"""Instructor tools for the lessons: student copies, handouts, new lessons, checks, the index, a rendered course.

Each job lives in its own module (``studentcopy``, ``handout``, ``newlesson``, ``check``, ``index``,
``render``) and is called by the ``trotsky-edu`` command; ``cells`` holds the small
predicates that say what a cell is, and ``course`` reads the course order from
``lessons/course.toml``.
"""


class LessonkitError(Exception):
    """A problem the instructor can fix; the message says what and how."""
