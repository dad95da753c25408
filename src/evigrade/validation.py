"""Validation of evidence files: JSON syntax, the published JSON Schema, then semantic rules.

Every problem of a file is collected, not only the first, as :class:`Problem` objects that name
the file, the JSON Pointer of the offending value, its line and column, and what was expected
and found. Nothing here writes to the input, and no ``$ref`` is ever fetched from the network.
"""

from __future__ import annotations

import ast
import difflib
import functools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .jsonpos import depth_exceeded_at, escape_pointer, line_column, pointer_at, source_map
from .problems import EvidenceError, Problem

if TYPE_CHECKING:
    from .kinds import Designs

__all__ = [
    "MAX_DEPTH",
    "VALIDATOR_ENV",
    "EvidenceError",
    "Problem",
    "read_text",
    "schema",
    "schema_validator",
    "validate_data",
    "validate_file",
    "validate_text",
]

#: Deepest nesting accepted; an evidence file needs about seven levels.
MAX_DEPTH = 64


@functools.cache
def schema() -> Mapping[str, Any]:
    """The published evidence-file JSON Schema (draft 2020-12), as shipped in the package."""
    path = os.path.join(os.path.dirname(__file__), "schemas", "evidence.schema.json")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:  # not a plain directory (a zip file, say): ask the import system
        from importlib import resources

        text = (
            resources.files("evigrade").joinpath("schemas/evidence.schema.json").read_text("utf-8")
        )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


#: Environment variable choosing the schema validator: ``auto`` (the default: jsonschema-rs
#: where it is installed, else jsonschema), ``jsonschema`` (the reference implementation only)
#: or ``jsonschema-rs`` (required: an error if it is not installed).
VALIDATOR_ENV = "EVIGRADE_VALIDATOR"
_VALIDATOR_CHOICES = ("auto", "jsonschema", "jsonschema-rs")


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"not fetching {uri!r}: evidence files resolve only the evigrade schema")


@functools.cache
def _compiled_validator() -> Any | None:
    """The compiled (jsonschema-rs) validator of the schema, or None to use only jsonschema."""
    choice = os.environ.get(VALIDATOR_ENV, "auto").strip().lower() or "auto"
    if choice not in _VALIDATOR_CHOICES:
        raise ValueError(
            f"{VALIDATOR_ENV}={choice!r}: expected one of {', '.join(_VALIDATOR_CHOICES)}"
        )
    if choice == "jsonschema":
        return None
    try:
        import jsonschema_rs
    except ImportError:
        if choice == "jsonschema-rs":
            raise ImportError(
                f"{VALIDATOR_ENV}=jsonschema-rs but jsonschema-rs is not installed "
                "(pip install jsonschema-rs)"
            ) from None
        return None
    return jsonschema_rs.Draft202012Validator(dict(schema()), retriever=_refuse_retrieval)


def schema_validator() -> str:
    """Which implementation accepts valid documents: ``"jsonschema-rs"`` (compiled) or
    ``"jsonschema"``. Problems are always described by jsonschema, the reference
    implementation, so they read the same either way (see :data:`VALIDATOR_ENV`)."""
    return "jsonschema" if _compiled_validator() is None else "jsonschema-rs"


def _accepted_by_compiled(data: Any) -> bool:
    """True when the compiled validator accepts ``data``; False when it rejects it, is not in
    use, or cannot take the data (values JSON does not have, integers beyond 64 bits)."""
    compiled = _compiled_validator()
    if compiled is None:
        return False
    try:
        return bool(compiled.is_valid(data))
    except Exception:
        return False


@functools.cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    document = schema()
    resource = DRAFT202012.create_resource(document)
    # Only our own schema is known: any other $ref fails instead of being fetched.
    registry: Registry[Any] = Registry().with_resource(document["$id"], resource)
    return Draft202012Validator(document, registry=registry)


# -- reading ----------------------------------------------------------------------------------


def read_text(path: str | os.PathLike[str]) -> str:
    """Read and decode an evidence file; raise :class:`EvidenceError` (unreadable) if we can't."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        reason = error.strerror or str(error)
        raise EvidenceError(
            [Problem(f"cannot read file: {reason}", file=name, kind="unreadable")], name
        ) from None
    return decode(raw, name)


def decode(raw: bytes, name: str | None = None) -> str:
    """Decode UTF-8 (a leading byte-order mark is allowed), or raise an unreadable error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        problem = Problem(
            f"not UTF-8 text: expected UTF-8, found byte 0x{byte} at byte offset {error.start}",
            file=name,
            line=line,
            column=column,
            kind="unreadable",
            keyword="encoding",
        )
        raise EvidenceError([problem], name) from None


# -- parsing ----------------------------------------------------------------------------------


class _Duplicates:
    """Notes that an object had a repeated member name while the parser builds it."""

    def __init__(self) -> None:
        self.seen = False

    def hook(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            self.seen = True
        return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON: expected a finite number")


def _first_constant(text: str) -> tuple[str, int] | None:
    """(pointer, offset) of the first NaN or Infinity literal, which JSON does not allow."""
    positions = source_map(text)
    found = [
        (offset, pointer)
        for pointer, offset in positions.values.items()
        if text.startswith(("NaN", "Infinity", "-Infinity"), offset)
    ]
    if not found:
        return None
    offset, pointer = min(found)
    return pointer, offset


def _parse(text: str, name: str | None) -> tuple[Any, list[Problem], bool]:
    """Parse JSON text; return (data, problems, has_duplicate_keys)."""
    if not text.strip():
        problem = Problem(
            "empty file: expected a JSON object",
            file=name,
            line=1,
            column=1,
            kind="syntax",
            keyword="json",
        )
        return None, [problem], False
    # Nesting can be no deeper than the number of brackets, which C counts fast: the scanner
    # runs only on text that could be too deep.
    could_be_deep = text.count("{") + text.count("[") > MAX_DEPTH
    deep = depth_exceeded_at(text, MAX_DEPTH) if could_be_deep else None
    if deep is not None:
        line, column = line_column(text, deep)
        problem = Problem(
            f"nesting too deep: expected at most {MAX_DEPTH} levels of arrays and objects",
            pointer=pointer_at(text, deep + 1),
            file=name,
            line=line,
            column=column,
            kind="syntax",
            keyword="depth",
        )
        return None, [problem], False
    duplicates = _Duplicates()
    try:
        data = json.loads(text, object_pairs_hook=duplicates.hook, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        problem = Problem(
            f"invalid JSON: {error.msg}",
            pointer=pointer_at(text, error.pos),
            file=name,
            line=error.lineno,
            column=error.colno,
            kind="syntax",
            keyword="json",
        )
        return None, [problem], False
    except (ValueError, RecursionError) as error:
        problem = Problem(f"invalid JSON: {error}", file=name, kind="syntax", keyword="json")
        constant = _first_constant(text)
        if constant is not None:
            line, column = line_column(text, constant[1])
            problem = attrs.evolve(problem, pointer=constant[0], line=line, column=column)
        return None, [problem], False
    # A \uD800-\uDFFF escape not in a pair parses but is no character: it could never be
    # written out as UTF-8 again. Only text with such an escape is walked.
    if "\\ud" in text or "\\uD" in text:
        found = _lone_surrogate(data)
        if found is not None:
            pointer, is_key = found
            where = source_map(text).position(pointer, key=is_key)
            problem = Problem(
                "invalid text: expected Unicode characters, found an unpaired surrogate escape "
                "(\\uD800-\\uDFFF)" + (" in a key" if is_key else ""),
                pointer=pointer,
                file=name,
                line=where[0] if where else None,
                column=where[1] if where else None,
                kind="syntax",
                keyword="json",
            )
            return None, [problem], False
    return data, [], duplicates.seen


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lone_surrogate(data: Any) -> tuple[str, bool] | None:
    """(JSON Pointer, is a key) of the first string with an unpaired surrogate, or None."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                return pointer, False
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                where = f"{pointer}/{escape_pointer(key)}"
                if not _encodable(key):
                    return where, True
                stack.append((where, item))
        elif isinstance(value, list):
            stack.extend(
                (f"{pointer}/{index}", item) for index, item in reversed(list(enumerate(value)))
            )
    return None


# -- schema errors ----------------------------------------------------------------------------

_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    type(None): "null",
    int: "integer",
    float: "number",
}


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _show(value: Any, limit: int = 60) -> str:
    if isinstance(value, dict):
        return "an object" if value else "{}"
    if isinstance(value, list):
        return f"an array of {len(value)}" if value else "[]"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer(str(part))}" for part in path)


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _schema_problems(data: Any) -> Iterator[Problem]:
    # The compiled validator only says yes or no; a "no" (rare in a real corpus) is explained by
    # the reference implementation, so problems are the same whichever validator is in use.
    if _accepted_by_compiled(data):
        return
    for error in _validator().iter_errors(data):
        yield from _describe(error)


def _describe(error: Any) -> Iterator[Problem]:
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    pointer = _pointer(error.absolute_path)
    found = _show(instance)
    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        patterns = error.schema.get("patternProperties", {})
        for key in instance:
            if key in allowed or (patterns and key.startswith("x-")):
                continue
            extension = " or an x- extension" if patterns else ""
            expected = ", ".join(allowed) if allowed else "no keys"
            yield Problem(
                f"unknown key {key!r}: expected one of {expected}{extension}"
                f"{_suggest(key, allowed)}",
                pointer=f"{pointer}/{escape_pointer(key)}",
                keyword=keyword,
            )
        return
    if keyword == "required":
        missing = ast.literal_eval(error.message.split(" is a required property")[0])
        yield Problem(f"missing required key {missing!r}", pointer=pointer, keyword=keyword)
        return
    if keyword == "type":
        types = value if isinstance(value, str) else " or ".join(value)
        message = f"expected {types}, found {_type_name(instance)} {found}"
    elif keyword == "enum":
        options = ", ".join(json.dumps(v) for v in value)
        hint = _suggest(instance, [str(v) for v in value]) if isinstance(instance, str) else ""
        message = f"expected one of {options}; found {found}{hint}"
    elif keyword == "const":
        message = f"expected {json.dumps(value)}, found {found}"
    elif keyword == "pattern":
        what = error.schema.get("description") or f"a string matching {value}"
        message = f"expected {what[0].lower()}{what[1:].rstrip('.')}; found {found}"
    elif keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[
            keyword
        ]
        message = f"expected a number {sign} {value}, found {found}"
    elif keyword in ("minItems", "minProperties", "minLength"):
        unit = {"minItems": "item", "minProperties": "key", "minLength": "character"}[keyword]
        message = f"expected at least {value} {unit}{'s' if value != 1 else ''}, found {found}"
    elif keyword == "maxLength":
        message = f"expected at most {value} characters, found {len(instance)}"
    elif keyword == "dependentRequired":
        message = error.message.replace("is a dependency of", "is required with")
    else:
        message = error.message
    yield Problem(message, pointer=pointer, keyword=keyword)


# -- semantic rules ---------------------------------------------------------------------------


def _semantic_problems(data: Any, designs: Designs) -> Iterator[Problem]:
    """Rules the schema cannot express; defensive about shapes the schema already rejected."""
    if not isinstance(data, dict):
        return
    studies: list[Any] = data["studies"] if isinstance(data.get("studies"), list) else []
    claims: list[Any] = data["claims"] if isinstance(data.get("claims"), list) else []
    known: dict[str, int] = {}
    sizes: dict[str, int] = {}
    found: dict[str, dict[str, Any]] = {}
    for index, study in enumerate(studies):
        if not isinstance(study, dict):
            continue
        where = f"/studies/{index}"
        study_id = study.get("id")
        if isinstance(study_id, str):
            if study_id in known:
                yield Problem(
                    f"duplicate study id {study_id!r}: expected ids unique in the file "
                    f"(first used at /studies/{known[study_id]}/id)",
                    pointer=f"{where}/id",
                    kind="semantic",
                    keyword="unique-study-id",
                )
            else:
                known[study_id] = index
                found[study_id] = study
                if isinstance(study.get("n"), int) and not isinstance(study.get("n"), bool):
                    sizes[study_id] = study["n"]
        yield from _study_design_problems(study, where, designs)
    seen_claims: dict[str, int] = {}
    for index, claim in enumerate(claims):
        if not isinstance(claim, dict):
            continue
        where = f"/claims/{index}"
        claim_id = claim.get("id")
        if isinstance(claim_id, str):
            if claim_id in seen_claims:
                yield Problem(
                    f"duplicate claim id {claim_id!r}: expected ids unique in the file "
                    f"(first used at /claims/{seen_claims[claim_id]}/id)",
                    pointer=f"{where}/id",
                    kind="semantic",
                    keyword="unique-claim-id",
                )
            else:
                seen_claims[claim_id] = index
        evidence: list[Any] = claim["evidence"] if isinstance(claim.get("evidence"), list) else []
        cited: dict[str, int] = {}
        for link_index, link in enumerate(evidence):
            if not isinstance(link, dict):
                continue
            yield from _link_problems(
                link, f"{where}/evidence/{link_index}", claim_id, known, sizes, cited, link_index
            )
            study = found.get(link["study"]) if isinstance(link.get("study"), str) else None
            yield from _pooled_link_problems(link, f"{where}/evidence/{link_index}", study, designs)


def _study_design_problems(
    study: dict[str, Any], where: str, designs: Designs
) -> Iterator[Problem]:
    design_id = study.get("design")
    if not isinstance(design_id, str):
        return
    design = designs.get(design_id)
    if design is None:
        yield Problem(
            f"unknown design {design_id!r}: expected a design id such as rct, prospective-cohort "
            f"or case-report (see `evigrade designs`){_suggest(design_id, designs)}",
            pointer=f"{where}/design",
            kind="semantic",
            keyword="known-design",
        )
    of = study.get("of")
    if isinstance(of, str):
        if design is None or not design.is_synthesis:
            yield Problem(
                f"'of' applies to meta-analyses and systematic reviews, found design {design_id!r}",
                pointer=f"{where}/of",
                kind="semantic",
                keyword="of-design",
            )
        elif of not in designs:
            yield Problem(
                f"unknown design {of!r}: expected the design id of the included studies"
                f"{_suggest(of, designs)}",
                pointer=f"{where}/of",
                kind="semantic",
                keyword="known-design",
            )
    yield from _pooled_study_problems(study, where, design_id, designs)
    if design is None:
        return
    if design.needs_participants and "n" not in study:
        yield Problem(
            f"missing 'n': design {design_id!r} has participants; expected the number enrolled "
            "(null if the source does not report it)",
            pointer=where,
            kind="semantic",
            keyword="n-required",
        )
    n = study.get("n")
    if "n" in study and n is None and not design.needs_participants:
        yield Problem(
            f"design {design_id!r} has no participants: expected no 'n' (null means a size "
            "the source does not report)",
            pointer=f"{where}/n",
            kind="semantic",
            keyword="n-null",
        )
    if design_id == "case-report" and isinstance(n, int) and n != 1:
        yield Problem(
            f"a case report has one participant: expected n = 1, found {n}",
            pointer=f"{where}/n",
            kind="semantic",
            keyword="case-report-n",
        )
    randomized = study.get("randomized")
    if isinstance(randomized, bool) and design.randomized not in (None, randomized):
        yield Problem(
            f"design {design_id!r} is {'' if design.randomized else 'not '}randomized: "
            f"expected randomized {str(design.randomized).lower()} or no key, found "
            f"{str(randomized).lower()}",
            pointer=f"{where}/randomized",
            kind="semantic",
            keyword="randomized-design",
        )


def _link_problems(
    link: dict[str, Any],
    where: str,
    claim_id: Any,
    known: Mapping[str, int],
    sizes: Mapping[str, int],
    cited: dict[str, int],
    link_index: int,
) -> Iterator[Problem]:
    study_id = link.get("study")
    if isinstance(study_id, str):
        if study_id not in known:
            listing = ", ".join(sorted(known)) or "none"
            yield Problem(
                f"claim {claim_id!r} cites study {study_id!r}, which is not in /studies: "
                f"expected one of {listing}{_suggest(study_id, known)}",
                pointer=f"{where}/study",
                kind="semantic",
                keyword="known-study",
            )
        elif study_id in cited:
            first = where.rsplit("/", 1)[0]
            yield Problem(
                f"claim {claim_id!r} cites study {study_id!r} twice: expected one evidence link "
                f"per study (first at {first}/{cited[study_id]})",
                pointer=f"{where}/study",
                kind="semantic",
                keyword="unique-link",
            )
        else:
            cited[study_id] = link_index
    effect = link.get("effect")
    if isinstance(effect, dict):
        low: Any = effect.get("ci_low")
        estimate: Any = effect.get("estimate")
        high: Any = effect.get("ci_high")
        numbers = all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, estimate, high)
        )
        if numbers and not (low <= estimate <= high):
            yield Problem(
                f"expected ci_low <= estimate <= ci_high, found {low} / {estimate} / {high}",
                pointer=f"{where}/effect",
                kind="semantic",
                keyword="ci-order",
            )
    size = sizes.get(study_id) if isinstance(study_id, str) else None
    analysed = link.get("n")
    if size is not None and isinstance(analysed, int) and analysed > size:
        yield Problem(
            f"expected at most the study's {size} participants analysed, found n = {analysed}",
            pointer=f"{where}/n",
            kind="semantic",
            keyword="link-n",
        )
    events = link.get("events")
    total = analysed if isinstance(analysed, int) else size
    if isinstance(events, dict) and total is not None:
        counts = [v for v in events.values() if isinstance(v, int)]
        if sum(counts) > total:
            yield Problem(
                f"expected at most {total} events in all (participants analysed), "
                f"found {sum(counts)}",
                pointer=f"{where}/events",
                kind="semantic",
                keyword="events-n",
            )


def _pools(designs: Designs, design_id: Any) -> bool:
    """Whether ``design_id`` names a synthesis of other studies (a meta-analysis or review)."""
    design = designs.get(design_id) if isinstance(design_id, str) else None
    return design is not None and design.is_synthesis


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _counted(counts: Any) -> int | None:
    """The studies an ``included_risk_of_bias`` object counts (None if it is not an object)."""
    if not isinstance(counts, dict):
        return None
    return sum(
        _count(counts.get(key)) or 0
        for key in ("low", "some_concerns", "high", "critical", "unclear")
    )


def _risk_count_problems(counts: Any, pooled: int | None, where: str) -> Iterator[Problem]:
    counted = _counted(counts)
    if counted is None:
        return
    if counted == 0:
        yield Problem(
            "expected at least one included study counted at some risk of bias, found none",
            pointer=where,
            kind="semantic",
            keyword="included-risk-of-bias-count",
        )
    elif pooled is not None and counted > pooled:
        yield Problem(
            f"expected at most the {pooled} included studies counted, found {counted}",
            pointer=where,
            kind="semantic",
            keyword="included-risk-of-bias-count",
        )


def _pooled_study_problems(
    study: dict[str, Any], where: str, design_id: str, designs: Designs
) -> Iterator[Problem]:
    """``included_studies`` and ``included_risk_of_bias`` belong to reviews, and agree."""
    pools = _pools(designs, design_id)
    for key in ("included_studies", "included_risk_of_bias"):
        if key in study and not pools:
            yield Problem(
                f"'{key}' describes the studies a review pools: expected a meta-analysis or "
                f"systematic review, found design {design_id!r}",
                pointer=f"{where}/{key}",
                kind="semantic",
                keyword="pooled-design",
            )
    if pools:
        yield from _risk_count_problems(
            study.get("included_risk_of_bias"),
            _count(study.get("included_studies")),
            f"{where}/included_risk_of_bias",
        )


def _pooled_link_problems(
    link: dict[str, Any], where: str, study: dict[str, Any] | None, designs: Designs
) -> Iterator[Problem]:
    """Pooled-result keys on a link: a review's study, counts that agree, and a link that says
    it does not address the claim carries no result."""
    if link.get("addresses") is False:
        carried = [k for k in ("effect", "events", "dose_response") if k in link]
        if carried:
            yield Problem(
                f"a study that reports nothing on the claim (addresses false) has no result: "
                f"expected no {', '.join(carried)}",
                pointer=f"{where}/{carried[0]}",
                kind="semantic",
                keyword="addresses-false",
            )
        if link.get("direction") not in (None, "inconclusive"):
            yield Problem(
                "a study that reports nothing on the claim (addresses false): expected "
                f'direction "inconclusive", found {_show(link.get("direction"))}',
                pointer=f"{where}/direction",
                kind="semantic",
                keyword="addresses-false",
            )
    effect = link.get("effect")
    heterogeneity = isinstance(effect, dict) and "heterogeneity" in effect
    keys: list[str] = [k for k in ("included_studies", "included_risk_of_bias") if k in link]
    if heterogeneity:
        keys.append("effect/heterogeneity")
    if study is None or not keys:
        return
    design_id = study.get("design")
    if not _pools(designs, design_id):
        for key in keys:
            yield Problem(
                f"'{key.rsplit('/', 1)[-1]}' describes a pooled result: expected a link to a "
                f"meta-analysis or systematic review, found design {design_id!r}",
                pointer=f"{where}/{key}",
                kind="semantic",
                keyword="pooled-design",
            )
        return
    of_study = _count(study.get("included_studies"))
    own = _count(link.get("included_studies"))
    if own is not None and of_study is not None and own > of_study:
        yield Problem(
            f"expected at most the review's {of_study} included studies for this outcome, "
            f"found included_studies = {own}",
            pointer=f"{where}/included_studies",
            kind="semantic",
            keyword="included-studies-n",
        )
    pooled = own if own is not None else of_study
    if heterogeneity and pooled == 1:
        yield Problem(
            "heterogeneity needs two or more pooled studies: expected no heterogeneity for a "
            "result of 1 included study",
            pointer=f"{where}/effect/heterogeneity",
            kind="semantic",
            keyword="heterogeneity-single",
        )
    yield from _risk_count_problems(
        link.get("included_risk_of_bias"), pooled, f"{where}/included_risk_of_bias"
    )


# -- entry points -----------------------------------------------------------------------------


def validate_data(data: Any, *, designs: Designs) -> list[Problem]:
    """Every problem of already-parsed JSON data (no line numbers), schema first."""
    problems = list(_schema_problems(data))
    problems.extend(_semantic_problems(data, designs))
    return problems


def validate_text(text: str, filename: str | None = None, *, designs: Designs) -> list[Problem]:
    """Every problem of an evidence file given as JSON text, with lines and columns."""
    return _validate_text(text, filename, designs)[1]


def _validate_text(text: str, filename: str | None, designs: Designs) -> tuple[Any, list[Problem]]:
    data, problems, duplicated = _parse(text, filename)
    if problems:
        return None, problems
    problems = validate_data(data, designs=designs)
    if not problems and not duplicated:
        return data, []
    positions = source_map(text)
    for pointer in positions.duplicates:
        problems.append(
            Problem(
                f"duplicate key {pointer.rsplit('/', 1)[1]!r}: expected each key once per "
                "object (a later value would silently replace an earlier one)",
                pointer=pointer,
                kind="syntax",
                keyword="duplicate-key",
            )
        )
    located = []
    for problem in problems:
        at_key = problem.keyword in ("additionalProperties", "duplicate-key")
        where = positions.position(problem.pointer, key=at_key)
        line, column = where if where else (None, None)
        located.append(attrs.evolve(problem, file=filename, line=line, column=column))
    return None, sorted(located, key=lambda p: p.sort_key)


def validate_file(path: str | os.PathLike[str], *, designs: Designs) -> list[Problem]:
    """Every problem of the evidence file at ``path``; an unreadable file gives one problem."""
    name = os.fspath(path)
    try:
        text = read_text(name)
    except EvidenceError as error:
        return list(error.problems)
    return validate_text(text, name, designs=designs)


def checked_data(text: str, filename: str | None = None, *, designs: Designs) -> Any:
    """Parse and validate text; return the data or raise :class:`EvidenceError`."""
    data, problems = _validate_text(text, filename, designs)
    if problems:
        raise EvidenceError(problems, filename)
    return data
