"""The article view: what the report needs to show a checked article.

A checked article is the article's sentences, with each claim it makes marked as a span of a
sentence, how strongly the claim is worded, the grade of the evidence behind it and whether the
wording claims more than that grade allows; then the findings about its citations and a note on
conflicts of interest. Whatever checks an article builds an :class:`ArticleView`; the report
renders it as one more section (:func:`evigrade.report.render_html`'s ``article``).
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["ArticleClaim", "ArticleFinding", "ArticleSentence", "ArticleView", "Piece", "pieces"]

Severity = Literal["info", "warning", "problem"]


@attrs.frozen
class ArticleClaim:
    """A claim as one sentence states it.

    ``start`` and ``end`` are character offsets into the sentence's text (``end`` exclusive).
    ``strength`` names how strongly the claim is worded (``"causal"``, ``"suggestive"``,
    ``"hedged"`` ...: the checker's own words, shown as given). ``grade`` is the label of the
    evidence's grade (None when the claim is not graded), ``scheme`` the scheme that gave it.
    ``overclaim`` is true when the wording is stronger than the grade supports, and ``note``
    says why. ``claim_id`` is the id of the evidence file's claim, when the claim is one.
    """

    start: int
    end: int
    strength: str
    grade: str | None = None
    scheme: str | None = None
    overclaim: bool = False
    note: str | None = None
    claim_id: str | None = None


def _spans(
    sentence: ArticleSentence,
    attribute: attrs.Attribute[tuple[ArticleClaim, ...]],
    claims: tuple[ArticleClaim, ...],
) -> None:
    end = 0
    for claim in claims:
        if not 0 <= claim.start < claim.end <= len(sentence.text):
            raise ValueError(
                f"claim span {claim.start}:{claim.end} is outside the sentence "
                f"(length {len(sentence.text)})"
            )
        if claim.start < end:
            raise ValueError(f"claim spans overlap or are out of order at {claim.start}")
        end = claim.end


@attrs.frozen
class ArticleSentence:
    """One sentence of the article, the claims it makes in the order they occur (their spans
    may not overlap), and the number of its paragraph (sentences of one paragraph share it)."""

    text: str
    claims: tuple[ArticleClaim, ...] = attrs.field(default=(), validator=_spans)
    paragraph: int = 0


@attrs.frozen
class ArticleFinding:
    """Something found about the article's citations (a claim citing nothing, a reference that
    does not say what the sentence says, a retracted study ...). ``sentence`` is the index in
    :attr:`ArticleView.sentences` of the sentence it is about, if any."""

    message: str
    kind: str = "citation"
    severity: Severity = "warning"
    sentence: int | None = None


@attrs.frozen
class ArticleView:
    """A checked article, as the report shows it."""

    sentences: tuple[ArticleSentence, ...]
    title: str | None = None
    findings: tuple[ArticleFinding, ...] = ()
    conflict_of_interest: str | None = None


@attrs.frozen
class Piece:
    """A run of a sentence's text: plain (``claim`` None) or one claim's span."""

    text: str
    claim: ArticleClaim | None = None


def pieces(sentence: ArticleSentence) -> tuple[Piece, ...]:
    """The sentence cut at its claims' spans, in order."""
    result: list[Piece] = []
    at = 0
    for claim in sentence.claims:
        if claim.start > at:
            result.append(Piece(sentence.text[at : claim.start]))
        result.append(Piece(sentence.text[claim.start : claim.end], claim))
        at = claim.end
    if at < len(sentence.text):
        result.append(Piece(sentence.text[at:]))
    return tuple(result)
