"""Own words: no run of 12 or more words shared with the four source documents, outside quotations.

The course takes facts from its sources and writes the narrative itself (the sources'
licences allow no more). :func:`read_sources` reads the documents once into the set of their
12-word runs; :func:`shared_runs` then finds, in any text, each stretch whose every 12 words in a
row are in that set. Both sides are normalised alike: the Wikipedia article's Markdown (links,
images, footnote marks, HTML) is stripped, case is folded, accents, apostrophes and punctuation
dropped. Quotations ("..." or “...”) and attributed blockquotes are set aside (:mod:`.prose`),
and so is a question's ``excerpt``: quoting a historical actor is allowed.

The documents live outside the package, in the course's shared folder (by default
``../shared/sources`` beside the project); an installed copy of the course has no need of them,
and the check is skipped where they are absent.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from trotsky_edu.datasets import SCHEMA_FILE, read_schema
from trotsky_edu.lessonkit import LessonkitError
from trotsky_edu.lessonkit.course import display_path
from trotsky_edu.lessonkit.prose import GAP, own_voice, paragraphs

RUN_WORDS = 12
#: Where the source documents are, relative to the project folder (the one holding ``lessons/``).
DEFAULT_SOURCES = Path("..") / "shared" / "sources"
#: Question fields that are not the course's prose: ids, settings, and the excerpt a source analysis quotes.
NOT_PROSE_FIELDS = frozenset(
    {"id", "type", "objective", "kind", "source", "excerpt", "speaker", "date", "document", "event_ids",
     "lesson", "correct", "answer", "tolerance", "close", "unit", "unit_plural"}
)

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\((?:[^()]|\([^()]*\))*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_FOOTNOTE = re.compile(r"\\?\[(?:\d+|[a-z]|edit|citation needed|note \d+)\\?\]", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
_APOSTROPHES = re.compile(r"['’ʼ‘]")
_WORD = re.compile(r"[^\W_]+(?:['’ʼ‘][^\W_]+)*")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class SourceIndex:
    """Every run of :data:`RUN_WORDS` words in the source documents, with the document it is first found in."""

    runs: dict[tuple[str, ...], str]


@dataclass(frozen=True)
class SharedRun:
    """A stretch of text whose every run of :data:`RUN_WORDS` words is also in a source document."""

    text: str
    words: int
    document: str

    def message(self) -> str:
        return (
            f"shares {self.words} words in a row with {self.document}: “{self.text}” — rewrite it in your own words, "
            f"or quote it as a marked quotation naming speaker, date and document"
        )


@dataclass(frozen=True)
class Finding:
    """A shared run in a data file: the file, where in it, and the run."""

    path: Path
    where: str
    run: SharedRun


def sources_folder(project: Path, given: Path | None = None) -> Path | None:
    """The folder of source documents: ``given`` (which must exist), else ``../shared/sources`` beside ``project``
    if it is there, else None."""
    if given is not None:
        if not given.is_dir():
            raise LessonkitError(f"--sources {given}: no such folder — give the folder that holds the source documents")
        return given
    default = project / DEFAULT_SOURCES
    return default if default.is_dir() else None


def read_sources(folder: Path) -> SourceIndex:
    """The runs of every text document (``*.txt``) in ``folder``."""
    documents = sorted(folder.glob("*.txt"))
    if not documents:
        raise LessonkitError(f"{display_path(folder)} holds no source documents (*.txt) — give their folder with --sources DIR")
    runs: dict[tuple[str, ...], str] = {}
    for path in documents:
        words = [word for word, _, _ in _words(source_text(path.read_text(encoding="utf-8")))]
        for start in range(len(words) - RUN_WORDS + 1):
            runs.setdefault(tuple(words[start:start + RUN_WORDS]), path.name)
    return SourceIndex(runs=runs)


def source_text(document: str) -> str:
    """A source document as plain words: front matter, images, link targets, footnote marks, URLs and HTML tags removed,
    HTML entities (``&nbsp;``) turned into the characters they stand for."""
    text = _FRONT_MATTER.sub("", document)
    text = re.sub(r"<sup\b.*?</sup>", " ", text, flags=re.DOTALL)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)  # a link inside a link's text, as in "_[title](...)_"
    text = _FOOTNOTE.sub(" ", text)
    text = _URL.sub(" ", text)
    return html.unescape(re.sub(r"<[^>\n]+>", " ", text))


def shared_runs(text: str, index: SourceIndex) -> list[SharedRun]:
    """The runs of ``text`` shared with the sources, none reaching across a :data:`~.prose.GAP` (``text`` is taken as it
    stands: set quotations aside first with :func:`~.prose.own_voice`)."""
    found: list[SharedRun] = []
    for piece in text.split(GAP):
        words = _words(piece)
        keys = [word for word, _, _ in words]
        hits = [index.runs.get(tuple(keys[i:i + RUN_WORDS])) for i in range(len(keys) - RUN_WORDS + 1)]
        position = 0
        while position < len(hits):
            if hits[position] is None:
                position += 1
                continue
            end = position
            while end + 1 < len(hits) and hits[end + 1] is not None:
                end += 1
            last = end + RUN_WORDS - 1
            shown = " ".join(piece[words[position][1]:words[last][2]].split())
            found.append(SharedRun(text=shown, words=last - position + 1, document=hits[position]))
            position = end + 1
    return found


def markdown_runs(markdown: str, index: SourceIndex) -> list[SharedRun]:
    """The shared runs of a Markdown cell, quotations and attributed blockquotes set aside (a run ends with its
    paragraph)."""
    return shared_runs(f" {GAP} ".join(paragraph.own for paragraph in paragraphs(markdown)), index)


def data_findings(data: Path | None, exercises: Path | None, index: SourceIndex) -> Iterator[Finding]:
    """Shared runs in the text columns of every dataset in ``data`` and in every question bank in ``exercises``."""
    if data is not None and (data / SCHEMA_FILE).is_file():
        yield from _table_findings(data, index)
    if exercises is not None and exercises.is_dir():
        for path in sorted(exercises.glob("*.yaml")):
            yield from _bank_findings(path, index)


def _table_findings(folder: Path, index: SourceIndex) -> Iterator[Finding]:
    for ds in read_schema(folder).values():
        path = folder / ds.file
        texts = [col.name for col in ds.columns.values() if col.type == "string"]
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            line = reader.line_num + 1
            for cells in reader:
                row = dict(zip(header, cells))
                for col in texts:
                    for run in shared_runs(own_voice(row.get(col) or ""), index):
                        yield Finding(path, f"line {line} ({ds.id} {row.get(ds.id, '')}), column {col!r}", run)
                line = reader.line_num + 1


def _bank_findings(path: Path, index: SourceIndex) -> Iterator[Finding]:
    try:
        bank = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
    except yaml.YAMLError:
        return  # an unreadable bank is reported by the bank check
    questions = bank.get("questions") if isinstance(bank, dict) else None
    for question in questions if isinstance(questions, list) else []:  # a malformed bank is the bank check's to report
        if not isinstance(question, dict):
            continue
        for where, text in _prose_fields(question, ""):
            for run in shared_runs(own_voice(text), index):
                yield Finding(path, f"question {question.get('id', '?')}, {where}", run)


def _prose_fields(value, where: str) -> Iterator[tuple[str, str]]:
    """(field path, text) of every string in a question, except the fields in :data:`NOT_PROSE_FIELDS`."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_PROSE_FIELDS:
                yield from _prose_fields(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield from _prose_fields(item, f"{where}[{number}]")


def _words(text: str) -> list[tuple[str, int, int]]:
    """(normalised word, start, end) of each word: case folded, accents and apostrophes inside words dropped."""
    if text.isascii():  # the common case, folded at once: positions do not move
        return [(m.group(0).replace("'", ""), m.start(), m.end()) for m in _WORD.finditer(text.lower())]
    return [(_fold(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]


def _fold(word: str) -> str:
    word = word.casefold()
    if word.isascii():
        return word.replace("'", "")
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", word))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
