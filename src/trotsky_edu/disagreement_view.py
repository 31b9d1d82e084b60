"""Show, in a lesson, where the course's sources contradict each other: ``show_disagreement("id")``.

Each row of ``data/disagreements.csv`` records two claims, the sources that make them and what the
weight of evidence suggests. A lesson shows the disagreement right after the text that meets it, so
the student sees that the record is argued over instead of reading one side as settled.

The block is plain HTML: a ``<section>`` whose ``aria-label`` names the topic, each claim labelled in
words ("Claim A", "Claim B", "Resolution") rather than by colour, each followed by who makes it (author,
title and section). Then, once per source, in a part the student opens: what kind of document it is,
whether it is one of the four course documents, and the writer's standpoint as ``data/sources.csv``
records it. Every text from the data is escaped.
"""

from __future__ import annotations

import difflib
import html

from trotsky_edu.datasets import records

#: How many near ids an unknown id is answered with.
NEAR_IDS = 3


class UnknownDisagreement(ValueError):
    """No disagreement has this id; the message names the nearest ids."""


def disagreement_html(disagreement_id: str) -> str:
    """The disagreement ``disagreement_id`` as an HTML block (raises :class:`UnknownDisagreement` if there is none).

    The claims, who makes each (author and title) and the resolution are shown; each source's
    section, kind, scope and standpoint are listed once, under "Sources and standpoints", which
    the student opens when they want them.
    """
    record, sources = _record(disagreement_id)
    cited = list(dict.fromkeys([*record["source_a"], *record["source_b"]]))
    details = "".join(f"<li>{_source_text(source_id, sources)}</li>" for source_id in cited)
    return (
        f'<section class="trotsky-disagreement" aria-label="Sources disagree: {_escape(record["topic"])}" '
        'style="border: 1px solid #595959; border-left-width: 6px; padding: 0.5em 1em; margin: 0.8em 0;">'
        f"<p><strong>Sources disagree:</strong> {_escape(record['topic'])}</p>"
        f"<p><strong>Claim A.</strong> {_escape(record['claim_a'])} {_said_by(record['source_a'], sources)}</p>"
        f"<p><strong>Claim B.</strong> {_escape(record['claim_b'])} {_said_by(record['source_b'], sources)}</p>"
        f"<p><strong>Resolution.</strong> {_escape(record['resolution'])}</p>"
        f"<details><summary>Sources and standpoints</summary><ul>{details}</ul>"
        f"<p><small>Recorded as <code>{_escape(disagreement_id)}</code> in the course's disagreements dataset "
        "(<code>load_disagreements()</code>).</small></p></details>"
        "</section>"
    )


def reading_text(disagreement_id: str) -> str:
    """The words a student reads in the block before opening its sources (the lesson's time estimate counts them)."""
    record, sources = _record(disagreement_id)
    return " ".join([
        f"Sources disagree: {record['topic']}",
        f"Claim A. {record['claim_a']} {_said_by(record['source_a'], sources, plain=True)}",
        f"Claim B. {record['claim_b']} {_said_by(record['source_b'], sources, plain=True)}",
        f"Resolution. {record['resolution']} Sources and standpoints",
    ])


def show_disagreement(disagreement_id: str) -> None:
    """Display the disagreement ``disagreement_id`` in the notebook, with both claims, their sources and the resolution.

    An unknown id displays a short notice naming the nearest ids instead of a traceback.
    """
    from IPython.display import HTML, display

    try:
        block = disagreement_html(disagreement_id)
    except UnknownDisagreement as error:
        block = f'<p role="alert"><strong>No such disagreement.</strong> {_escape(str(error))}</p>'
    display(HTML(block))


def _record(disagreement_id: str) -> tuple[dict, dict[str, dict]]:
    """The disagreement's record and the bibliography by source id (plain dicts: a block reads a dozen fields)."""
    disagreements = records("disagreements")
    if disagreement_id not in disagreements:
        raise UnknownDisagreement(_unknown_message(disagreement_id, list(disagreements)))
    return disagreements[disagreement_id], records("sources")


def _said_by(cited: list[str], sources: dict[str, dict], *, plain: bool = False) -> str:
    """'(Wikipedia contributors, "Leon Trotsky", English Wikipedia, section Exile; ...)': who makes a claim.

    The section is named (unless the whole work is cited): two claims may come from two sections of one article.
    """
    names = []
    for source_id in dict.fromkeys(cited):
        if source_id in sources:
            source = sources[source_id]
            author, title, section = source["author"], source["title"], source["section"]
            where = "" if str(section).startswith("Whole") else f", section {section}"
            names.append(f"{author}, {title}{where}" if plain
                         else f"{_escape(author)}, <cite>{_escape(title)}</cite>{_escape(where)}")
        else:
            names.append(source_id if plain else f"<code>{_escape(source_id)}</code>")
    return f"({'; '.join(dict.fromkeys(names))})"


def _source_text(source_id: str, sources: dict[str, dict]) -> str:
    """Author, title and section, kind of document, course or outside, and standpoint, as escaped HTML."""
    if source_id not in sources:
        return f"<code>{_escape(source_id)}</code> (not in the bibliography)"
    source = sources[source_id]
    scope = "one of the four course documents" if source["scope"] == "course" else "outside the four course documents"
    text = (
        f"{_escape(source['author'])}, <cite>{_escape(source['title'])}</cite>; section: {_escape(source['section'])}. "
        f"{_escape(str(source['kind']).capitalize())}, {scope}."
    )
    standpoint = source["standpoint"]
    if isinstance(standpoint, str) and standpoint.strip():
        text += f" <em>Standpoint:</em> {_escape(standpoint.strip().rstrip('.'))}."
    return text


def _unknown_message(disagreement_id: str, known: list[str]) -> str:
    near = difflib.get_close_matches(str(disagreement_id), known, n=NEAR_IDS, cutoff=0.5)
    hint = f"The nearest ids are {', '.join(repr(i) for i in near)}." if near else (
        "No recorded id is close; list them with load_disagreements()['disagreement_id']."
    )
    return f"There is no disagreement {disagreement_id!r} in data/disagreements.csv. {hint}"


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)
