"""Does every figure a lesson shows carry alt text its author wrote?

A lesson displays a figure with ``show_figure(ax, alt="...")``. The ``alt`` states the
figure's point, what the student should see, in the author's words; the description
the plot function generates is shown under the image as its long description. This
module reads the ``show_figure`` calls of a code cell (with :mod:`ast`, so comments and
strings that merely mention it do not count) and says what is wrong with each one's
``alt``, comparing it with the generated descriptions stored in the cell's outputs.
"""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass

#: Fewest words an author's alt text may have: a point, not a title.
MIN_ALT_WORDS = 8
FIX = "one to three sentences, in your own words, saying what the student should see in the figure"

_MAGIC = re.compile(r"^\s*[%!]")
_DESCRIBED_BY = re.compile(r"""aria-describedby\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class FigureCall:
    """One ``show_figure(...)`` call: its line in the cell and what its ``alt=`` is.

    ``alt`` is the text written in the call (for an f-string, its fixed words), or None
    when there is no ``alt=`` (``written`` False) or it is not written as a string
    (``written`` True).
    """

    line: int
    alt: str | None
    written: bool


def figure_calls(source: str) -> list[FigureCall]:
    """The ``show_figure`` calls in a code cell, in order; none when the cell is not Python."""
    code = "\n".join("" if _MAGIC.match(line) else line for line in source.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called_name(node.func) == "show_figure"):
            continue
        keyword = next((k for k in node.keywords if k.arg == "alt"), None)
        if keyword is None or (isinstance(keyword.value, ast.Constant) and keyword.value.value is None):
            calls.append(FigureCall(node.lineno, None, written=False))
        else:
            calls.append(FigureCall(node.lineno, _written_text(keyword.value), written=True))
    return sorted(calls, key=lambda call: call.line)


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _written_text(value: ast.expr) -> str | None:
    """A string literal's text; an f-string's fixed parts; None for anything else (a name, a call, ...)."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    if isinstance(value, ast.JoinedStr):
        return " ".join(part.value for part in value.values if isinstance(part, ast.Constant))
    return None


def long_descriptions(markup: str) -> list[str]:
    """The text of each element an ``<img aria-describedby="...">`` in ``markup`` points to (its long description)."""
    texts = []
    for identifier in _DESCRIBED_BY.findall(markup):
        found = re.search(rf"""<(\w+)[^>]*\bid\s*=\s*["']{re.escape(identifier)}["'][^>]*>(.*?)</\1>""", markup, re.DOTALL)
        if found:
            texts.append(" ".join(html.unescape(_TAG.sub(" ", found.group(2))).split()))
    return texts


def words(text: str) -> list[str]:
    """The words of ``text``, lower case, without punctuation."""
    return [word.lower() for word in _WORD.findall(text)]


def alt_problems(source: str, generated: list[str] = ()) -> list[str]:
    """What is wrong with the ``alt`` of each ``show_figure`` call in ``source``, one message per call.

    ``generated`` are the generated descriptions stored in the cell's outputs: an ``alt``
    that copies one of them (or opens with its first sentence) is not the author's own.
    """
    problems = []
    many = len(figure_calls(source)) > 1
    for call in figure_calls(source):
        where = f"show_figure on line {call.line}" if many else "show_figure"
        if not call.written:
            problems.append(f'{where} has no alt= — add alt="...": {FIX}')
        elif call.alt is None:
            problems.append(f"{where} takes its alt= from a name or a call — write the alt text in the call as a "
                            "string (an f-string is fine), so that it can be checked")
        elif len(words(call.alt)) < MIN_ALT_WORDS:
            problems.append(f"the alt= of {where} has {len(words(call.alt))} word(s) — write at least {MIN_ALT_WORDS}: "
                            f"{FIX} (its point, not its title)")
        elif any(_copies(call.alt, text) for text in generated):
            problems.append(f"the alt= of {where} repeats the generated description — write {FIX}; the generated "
                            "text is shown under the image as its full description already")
    return problems


def _copies(alt: str, generated: str) -> bool:
    """Is ``alt`` part of ``generated``, or does it contain the generated description's first sentence?"""
    own, theirs = f" {' '.join(words(alt))} ", f" {' '.join(words(generated))} "
    first = words(generated.split(". ")[0])
    return own in theirs or (len(first) >= MIN_ALT_WORDS and f" {' '.join(first)} " in own)
