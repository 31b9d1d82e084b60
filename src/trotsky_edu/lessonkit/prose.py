"""The author's own voice in a piece of Markdown: what is left once quotations and excerpts are set aside.

A lesson quotes historical actors briefly, in quotation marks ("..." or “...”), and gives longer
passages as an attributed blockquote: ``> ...`` lines followed by a line that starts with a dash
naming the speaker (``— *Leon Trotsky*, 27 February 1940, ...``). Those words are not the
course's own, so the checks of dates (:mod:`.dates_in_text`) and of own words (:mod:`.own_words`)
leave them out, together with code, HTML tags and link targets. Where something was taken out,
:data:`GAP` stands, so that no run of words or date reaches across it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Stands where a quotation, an excerpt or code was taken out (a private-use character: neither a letter nor a space).
GAP = "\ue000"

ATTRIBUTION_DASHES = ("—", "―", "–")

_FENCE = re.compile(r"^\s*(```|~~~)")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_HTML = re.compile(r"<!--.*?-->|<[^>\n]+>", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_EMPHASIS = re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of Markdown: as written, code blocks and attributed blockquotes aside (``raw``), and in the
    author's own voice (``own``)."""

    raw: str
    own: str


def paragraphs(markdown: str) -> list[Paragraph]:
    """The paragraphs of ``markdown`` (blocks between blank lines), each with its own-voice text."""
    blocks: list[list[str]] = [[]]
    for line in _without_excerpts(markdown.splitlines()):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    raws = ["\n".join(block) for block in blocks if block]
    return [Paragraph(raw=raw, own=own_voice(raw)) for raw in raws]


def own_voice(text: str) -> str:
    """``text`` without quotations and code (each leaves a :data:`GAP`), HTML tags, link targets and emphasis marks.

    Blockquote markers are dropped but the words kept: an unattributed blockquote, such as a
    content note, is the author's own.
    """
    text = _CODE_SPAN.sub(f" {GAP} ", text)
    text = _HTML.sub(" ", text)
    text = _LINK_TARGET.sub("]", text)
    text = _QUOTED.sub(f" {GAP} ", text)
    text = re.sub(r"^\s*>\s?", "", text, flags=re.MULTILINE)
    return _EMPHASIS.sub("", text)


def _without_excerpts(lines: list[str]) -> list[str]:
    """``lines`` with fenced code and attributed blockquotes replaced by :data:`GAP` lines."""
    kept: list[str] = []
    in_fence = False
    position = 0
    while position < len(lines):
        line = lines[position]
        if _FENCE.match(line) or in_fence:
            in_fence = in_fence != bool(_FENCE.match(line))
            kept.append(GAP)
            position += 1
            continue
        if not line.lstrip().startswith(">"):
            kept.append(line)
            position += 1
            continue
        end = position
        while end < len(lines) and lines[end].lstrip().startswith(">"):
            end += 1
        quote = lines[position:end]
        if _is_attributed(quote, lines[end:]):
            kept += [line.lstrip("> \t") if _is_attribution(line) else GAP for line in quote]
        else:
            kept += quote
        position = end
    return kept


def _is_attributed(quote: list[str], after: list[str]) -> bool:
    """Does a blockquote end with, or come right before, a line naming who said it?"""
    following = next((line for line in after if line.strip()), "")
    return _is_attribution(quote[-1]) or _is_attribution(following)


def _is_attribution(line: str) -> bool:
    return line.lstrip("> \t").startswith(ATTRIBUTION_DASHES)
