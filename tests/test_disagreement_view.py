"""show_disagreement: both claims, who makes them and the resolution, escaped, in an accessible block."""

import html
import re

import pandas as pd
import pytest

import trotsky_edu
from trotsky_edu import disagreement_view
from trotsky_edu.disagreement_view import UnknownDisagreement, disagreement_html


@pytest.mark.parametrize("disagreement_id", list(trotsky_edu.load_disagreements()["disagreement_id"]))
def test_every_recorded_disagreement_renders_both_sides(disagreement_id):
    record = trotsky_edu.load_disagreements().set_index("disagreement_id").loc[disagreement_id]
    block = disagreement_html(disagreement_id)
    assert block.startswith('<section class="trotsky-disagreement" aria-label="Sources disagree: ')
    for field in ("topic", "claim_a", "claim_b", "resolution"):
        assert html.escape(record[field], quote=True) in block, field
    assert block.index("Claim A.") < block.index("Claim B.") < block.index("Resolution.")
    sources = trotsky_edu.load_sources().set_index("source_id")
    for source_id in record["source_a"] + record["source_b"]:
        assert html.escape(sources.loc[source_id, "section"], quote=True) in block, source_id


def test_the_two_new_disagreements_are_recorded_for_their_lessons():
    records = trotsky_edu.load_disagreements().set_index("disagreement_id")
    assert records.loc["joined-bolsheviks", "lesson"] == "revolution"
    assert records.loc["rehabilitation", "lesson"] == "memory"
    assert "16 June 2001" in records.loc["rehabilitation", "claim_b"]
    assert records.loc["joined-bolsheviks", "source_b"] == ["wp-infobox"]


def test_sources_say_whether_they_are_course_documents_and_give_standpoints():
    block = disagreement_html("first-marriage-date")  # Wikipedia against Deutscher
    assert "one of the four course documents" in block
    assert "outside the four course documents" in block
    assert "Standpoint:</em> Sympathetic biography" in block


@pytest.fixture
def hostile_data(monkeypatch):
    """A disagreement and a source whose texts hold markup, as an instructor might type by mistake."""
    disagreements = pd.DataFrame([{
        "disagreement_id": "x", "topic": 'Quotes "and" <b>tags</b>', "lesson": "exile",
        "claim_a": "<script>alert(1)</script>", "source_a": ["s1"], "claim_b": "A & B", "source_b": ["s1"],
        "resolution": "Use <i>care</i>.", "records": [],
    }])
    sources = pd.DataFrame([{
        "source_id": "s1", "kind": "blog <post>", "author": "O'Brien", "title": "<Title>", "document": "",
        "section": "All", "licence": "", "scope": "outside", "standpoint": "Partisan <opinion>",
    }])
    tables = {"disagreements": (disagreements, "disagreement_id"), "sources": (sources, "source_id")}

    def records(name):
        table, key = tables[name]
        return {row[key]: row for row in table.to_dict("records")}

    monkeypatch.setattr(disagreement_view, "records", records)


def test_every_text_from_the_data_is_escaped(hostile_data):
    block = disagreement_html("x")
    assert "<script>" not in block and "&lt;script&gt;alert(1)&lt;/script&gt;" in block
    assert 'aria-label="Sources disagree: Quotes &quot;and&quot; &lt;b&gt;tags&lt;/b&gt;"' in block
    assert "<b>" not in block and "<i>" not in block and "<opinion>" not in block
    assert "O&#x27;Brien" in block and "A &amp; B" in block


def test_an_unknown_id_names_the_nearest_ids():
    with pytest.raises(UnknownDisagreement, match=r"no disagreement 'joined-bolshevik'.*'joined-bolsheviks'"):
        disagreement_html("joined-bolshevik")
    with pytest.raises(UnknownDisagreement, match=r"load_disagreements\(\)"):
        disagreement_html("zzzz")


def test_show_disagreement_displays_a_notice_not_a_traceback_for_an_unknown_id(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    trotsky_edu.show_disagreement("rehabilitaton")
    trotsky_edu.show_disagreement("rehabilitation")
    assert shown[0].startswith('<p role="alert"><strong>No such disagreement.</strong>')
    assert "&#x27;rehabilitation&#x27;" in shown[0]
    assert shown[1] == disagreement_html("rehabilitation")


def test_each_source_is_described_once_in_the_part_the_student_opens():
    """A source cited for both claims is named after each claim, and its standpoint is given once, folded away."""
    block = disagreement_html("russian-gazette-circulation")  # both claims come from the Wikipedia article
    shown, folded = block.split("<details>", 1)
    assert shown.count("Leon Trotsky") >= 2 and "Standpoint" not in shown
    assert folded.count("Standpoint:") == len({*trotsky_edu.load_disagreements().set_index("disagreement_id")
                                                .loc["russian-gazette-circulation", ["source_a", "source_b"]].sum()})


def test_the_reading_text_is_what_the_block_shows_before_it_is_opened():
    text = disagreement_view.reading_text("mexico-arrival-year")
    shown = re.sub(r"<[^>]+>", "", disagreement_html("mexico-arrival-year").split("</summary>", 1)[0])
    assert re.sub(r"\s+", "", html.unescape(shown)) == re.sub(r"\s+", "", text)
