"""A checked article as the HTML report shows it: :class:`~evigrade.report.ArticleView`.

The report knows nothing of the checker; this module hands it a checked article in the report's
terms. It reads the checked article's JSON document (:meth:`ArticleCheck.to_data`, which is also
what ``evigrade check --format json`` prints), so that a check and its saved document give the
same section:

- every sentence of the article, in order, its block as its paragraph;
- each claim marked where its quote lies in its sentence, with its wording strength, the grade of
  its evidence, whether it overclaims and the wording its evidence supports as the note;
- the findings of the citation audit and the conflicts of interest, each linked to its sentence,
  with a severity (:data:`SEVERITY`); the conflicts of interest also make the section's note.

:func:`document_problems` checks that a document read from a file holds what the report needs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..jsonpos import escape_pointer
from ..problems import Problem
from ..report.article import (
    ArticleClaim,
    ArticleFinding,
    ArticleSentence,
    ArticleView,
    Severity,
)

if TYPE_CHECKING:
    from ..grading import Report
    from .check import ArticleCheck

__all__ = ["SEVERITY", "article_view", "document_problems", "is_check_document"]

#: How serious each kind of finding is on the page: a citation that misleads (a null result or
#: a protocol cited for an effect, a source that does not exist) and a conflict of interest are
#: problems; the rest are warnings; a kind the checker does not know is information.
SEVERITY: Mapping[str, Severity] = {
    "null-cited-as-support": "problem",
    "protocol-as-results": "problem",
    "unlisted-source": "problem",
    "conflict-of-interest": "problem",
    "uncited-claim": "warning",
    "no-in-text-citations": "warning",
    "non-scholarly-source": "warning",
    "publisher-source": "warning",
    "weak-evidence-only": "warning",
    "study-not-addressing-claim": "warning",
}

_COI = "conflict-of-interest"

#: What the report reads from a checked article's document (the rest is for a reviewer).
_SCHEMA: Mapping[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["title", "schemes", "claims", "findings", "sentences", "draft"],
    "properties": {
        "title": {"type": "string"},
        "schemes": {"type": "array", "items": {"type": "string"}},
        "sentences": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "paragraph"],
                "properties": {
                    "text": {"type": "string"},
                    "paragraph": {"type": "integer", "minimum": 0},
                    "heading": {"type": "boolean"},
                },
            },
        },
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    *("id", "quote", "sentence", "strength", "grades", "overclaim"),
                    *("supported_strength", "supported_wording"),
                ],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "quote": {"type": "string", "minLength": 1},
                    "sentence": {"type": "integer", "minimum": 0},
                    "strength": {"type": "string", "minLength": 1},
                    "grades": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["label"],
                            "properties": {"label": {"type": "string"}},
                        },
                    },
                    "overclaim": {"type": "boolean"},
                    "supported_strength": {"type": "string"},
                    "supported_wording": {"type": "string"},
                },
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "message"],
                "properties": {
                    "kind": {"type": "string"},
                    "message": {"type": "string"},
                    "sentence": {"type": ["integer", "null"], "minimum": 0},
                },
            },
        },
        "draft": {"type": "object"},
    },
}


def is_check_document(data: Any) -> bool:
    """Whether parsed JSON is a checked article's document rather than an evidence file: an
    object without the evidence file's ``evigrade`` key, with the claims and summary that
    ``evigrade check --format json`` prints."""
    return (
        isinstance(data, dict)
        and "evigrade" not in data
        and {"claims", "summary", "findings"} <= data.keys()
    )


@functools.cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    return Draft202012Validator(_SCHEMA)


def document_problems(data: Any) -> list[Problem]:
    """What keeps a checked article's document from being reported: what the report reads
    from it, by JSON Pointer (the draft evidence file is checked by evigrade's validation)."""
    from ..validation.validators import describe_errors

    problems = list(describe_errors(_validator().iter_errors(data)))
    if problems:
        return problems
    count = len(data["sentences"])
    expected = (
        f"expected the index of one of the document's {count} sentences (0 to {count - 1})"
        if count
        else "expected the index of a sentence, but the document has no sentences"
    )
    for pointer, index in _sentence_indexes(data):
        if index >= count:
            problems.append(
                Problem(f"{expected}, found {index}", pointer=pointer, keyword="sentence")
            )
    return problems


def _sentence_indexes(data: Mapping[str, Any]) -> Iterator[tuple[str, int]]:
    for key in ("claims", "findings"):
        for number, item in enumerate(data[key]):
            index = item.get("sentence")
            if isinstance(index, int):
                yield f"/{escape_pointer(key)}/{number}/sentence", index


def _span(text: str, quote: str) -> tuple[int, int]:
    """Where ``quote`` lies in ``text``: exactly, else with any run of spaces for a space and
    any case; else the whole sentence (the quote is the claim's own wording of it)."""
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    words = quote.split()
    if words:
        pattern = r"\s+".join(re.escape(word) for word in words)
        match = re.search(pattern, text, re.I)
        if match is not None:
            return match.start(), match.end()
    return len(text) - len(text.lstrip()), len(text.rstrip())


def _grade(
    claim: Mapping[str, Any], schemes: Sequence[str], report: Report | None
) -> tuple[str | None, str | None]:
    """The label and scheme of a claim's grade: the report's leading scheme (as its summary of
    findings shows it) when there is a report, else GRADE's, else the first scheme's."""
    if report is not None:
        from ..report.labels import main_scheme

        name = main_scheme(report)
        for result in report.results:
            if result.claim.id == claim["id"] and name is not None and name in result.grades:
                return result.grades[name].label, name
    grades = claim["grades"]
    for name in ("grade", *schemes, *grades):
        if name in grades:
            return str(grades[name]["label"]), name
    return None, None


def _note(claim: Mapping[str, Any]) -> str:
    return f"the evidence supports “{claim['supported_wording']}”"


def _conflict_note(findings: Sequence[Mapping[str, Any]]) -> str:
    conflicts = [f for f in findings if f["kind"] == _COI]
    if not conflicts:
        return (
            "None seen: the text shows no offer, consultation, course or pharmacy of the "
            "publisher's for what it recommends."
        )
    where = sorted({f["sentence"] + 1 for f in conflicts if f.get("sentence") is not None})
    passages = "passage" if len(conflicts) == 1 else "passages"
    at = ""
    if where:
        at = f" (sentence{'s' if len(where) > 1 else ''} {', '.join(map(str, where))})"
    messages = list(dict.fromkeys(str(f["message"]) for f in conflicts))
    heads = {m.partition(": ")[0] for m in messages}
    if len(heads) == 1 and all(": " in m for m in messages):  # one finding, several quotes
        said = f"{heads.pop()}: " + "; ".join(m.partition(": ")[2] for m in messages)
    else:
        said = "; ".join(messages)
    return f"{len(conflicts)} {passages}{at}: {said}."


def article_view(
    check: ArticleCheck | Mapping[str, Any], report: Report | None = None
) -> ArticleView:
    """The report's view of a checked article, or of its document (valid by
    :func:`document_problems`). ``report``, the grades of its draft being shown, gives each
    claim the grade the page's summary of findings shows."""
    data: Mapping[str, Any] = check if isinstance(check, Mapping) else check.to_data()
    schemes = tuple(data.get("schemes", ()))
    by_sentence: dict[int, list[tuple[int, int, Mapping[str, Any]]]] = {}
    sentences = data["sentences"]
    for claim in data["claims"]:
        text = sentences[claim["sentence"]]["text"]
        start, end = _span(text, claim["quote"])
        by_sentence.setdefault(claim["sentence"], []).append((start, end, claim))
    shared: list[ArticleFinding] = []
    built = []
    for index, sentence in enumerate(sentences):
        marks: list[ArticleClaim] = []
        reached = 0
        for start, end, claim in sorted(by_sentence.get(index, []), key=lambda c: c[:2]):
            grade, scheme = _grade(claim, schemes, report)
            if start >= end:  # an empty sentence: nothing to mark
                why = "its sentence has no text to mark"
            elif max(start, reached) >= end:
                why = "its words are those of the claim marked before it in this sentence"
            else:
                why = ""
            if why:
                shared.append(
                    ArticleFinding(
                        f"Claim {claim['id']} ({claim['strength']}, {grade or 'not graded'}"
                        f"{', overclaim' if claim['overclaim'] else ''}) is not marked: {why}.",
                        "claim",
                        "info",
                        index,
                    )
                )
                continue
            start = max(start, reached)
            marks.append(
                ArticleClaim(
                    start,
                    end,
                    str(claim["strength"]),
                    grade=grade,
                    scheme=scheme,
                    overclaim=bool(claim["overclaim"]),
                    note=_note(claim),
                    claim_id=str(claim["id"]),
                )
            )
            reached = end
        built.append(
            ArticleSentence(sentence["text"], tuple(marks), paragraph=sentence["paragraph"])
        )
    findings = [
        ArticleFinding(
            str(f["message"]),
            str(f["kind"]),
            SEVERITY.get(str(f["kind"]), "info"),
            f.get("sentence"),
        )
        for f in data["findings"]
    ]
    return ArticleView(
        tuple(built),
        title=str(data["title"]) or None,
        findings=tuple(findings + shared),
        conflict_of_interest=_conflict_note(data["findings"]),
    )
