"""Show, in a lesson, where the course's sources contradict each other: ``show_disagreement("id")``.

Each row of ``data/disagreements.csv`` records two claims, the sources that make them and what the
weight of evidence suggests. A lesson shows the disagreement right after the text that meets it, so
the student sees that the record is argued over instead of reading one side as settled.

The block is plain HTML: a ``<section>`` whose ``aria-label`` names the topic, each claim labelled in
words ("Claim A", "Claim B", "Resolution") rather than by colour, and under each claim who makes it:
author, title and section, what kind of document it is, whether it is one of the four course documents,
and the writer's standpoint as ``data/sources.csv`` records it. Every text from the data is escaped.
"""

from __future__ import annotations

import difflib
import html

import pandas as pd

from trotsky_edu.datasets import load_disagreements, load_sources

#: How many near ids an unknown id is answered with.
NEAR_IDS = 3


class UnknownDisagreement(ValueError):
    """No disagreement has this id; the message names the nearest ids."""


def disagreement_html(disagreement_id: str) -> str:
    """The disagreement ``disagreement_id`` as an HTML block (raises :class:`UnknownDisagreement` if there is none)."""
    records = load_disagreements().set_index("disagreement_id")
    if disagreement_id not in records.index:
        raise UnknownDisagreement(_unknown_message(disagreement_id, list(records.index)))
    record = records.loc[disagreement_id]
    sources = load_sources().set_index("source_id")
    topic = str(record["topic"])
    return (
        f'<section class="trotsky-disagreement" aria-label="{_escape(f"Sources disagree: {topic}")}" '
        'style="border: 1px solid #595959; border-left-width: 6px; padding: 0.5em 1em; margin: 0.8em 0;">'
        f"<p><strong>Sources disagree:</strong> {_escape(topic)}</p>"
        f"{_claim_html('Claim A', record['claim_a'], record['source_a'], sources)}"
        f"{_claim_html('Claim B', record['claim_b'], record['source_b'], sources)}"
        f"<p><strong>Resolution.</strong> {_escape(record['resolution'])}</p>"
        f"<p><small>Recorded as <code>{_escape(disagreement_id)}</code> in the course's disagreements dataset "
        "(<code>load_disagreements()</code>).</small></p>"
        "</section>"
    )


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


def _claim_html(label: str, claim: str, cited: list[str], sources: pd.DataFrame) -> str:
    """One claim and, under it, each source that makes it."""
    items = "".join(f"<li>{_source_text(source_id, sources)}</li>" for source_id in cited)
    return f"<p><strong>{label}.</strong> {_escape(claim)}</p><p>Who says so:</p><ul>{items}</ul>"


def _source_text(source_id: str, sources: pd.DataFrame) -> str:
    """Author, title and section, kind of document, course or outside, and standpoint, as escaped HTML."""
    if source_id not in sources.index:
        return f"<code>{_escape(source_id)}</code> (not in the bibliography)"
    source = sources.loc[source_id]
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
