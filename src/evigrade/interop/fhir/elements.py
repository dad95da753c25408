"""Reading the parts of FHIR resources the importer looks at: codings, evigrade's extensions,
references, SEVCO study-design codes and statistics, each defensive about its shape."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ...domains import DOMAINS
from ...kinds import Design
from ...model import Effect, Judgment
from .codes import EXTENSION, GENERAL_SEVCO, MEASURES

__all__ = [
    "Bad",
    "as_int",
    "as_list",
    "code_of",
    "codings",
    "design_of_sevco",
    "effect_of",
    "extensions_of",
    "id_of",
    "parts_of",
    "reference_key",
    "sevco_codes",
    "text_of",
    "unique",
]


_SLUG = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")


class Bad(Exception):
    """A resource that cannot be imported: why, and where (a JSON Pointer)."""

    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


def _slug(value: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return text[:200].strip("-") or "x"


def id_of(value: str) -> str:
    return value if _SLUG.match(value) else _slug(value)


def codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]


def code_of(concept: Any, system: str) -> str | None:
    for coding in codings(concept):
        if coding.get("system") == system and isinstance(coding.get("code"), str):
            code: str = coding["code"]
            return code
    return None


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text_of(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def extensions_of(node: Mapping[str, Any]) -> dict[str, Any]:
    """evigrade's extensions on a FHIR element: name -> value (or sub-extension list)."""
    found: dict[str, Any] = {}
    for ext in as_list(node.get("extension")):
        if not isinstance(ext, dict) or not str(ext.get("url", "")).startswith(EXTENSION + "/"):
            continue
        name = str(ext["url"])[len(EXTENSION) + 1 :].replace("-", "_")
        if "extension" in ext:
            found[name] = as_list(ext["extension"])
        else:
            values = [v for k, v in ext.items() if k.startswith("value")]
            if values:
                found[name] = values[0]
    return found


def parts_of(parts: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for part in as_list(parts):
        if isinstance(part, dict) and isinstance(part.get("url"), str):
            values = [v for k, v in part.items() if k.startswith("value")]
            if "extension" in part:
                result.setdefault(part["url"] + "[]", []).append(parts_of(part["extension"]))
            elif values:
                result[part["url"]] = values[0]
    return result


def reference_key(reference: Any) -> str | None:
    """``Type/id`` of a reference string (relative, absolute or with a version)."""
    if not isinstance(reference, str):
        return None
    reference = reference.split("/_history/")[0]
    pieces = [p for p in reference.split("/") if p]
    if len(pieces) >= 2:
        return f"{pieces[-2]}/{pieces[-1]}"
    return None


def design_of_sevco(codes: Sequence[str], designs: Mapping[str, Design]) -> str | None:
    wanted = set(codes)
    best: tuple[int, int, str] | None = None
    for index, design in enumerate(designs.values()):
        sevco = set(design.sevco)
        if not sevco:
            continue
        if sevco <= wanted:
            score = (2 * len(sevco), -index, design.id)
        elif (sevco & wanted) - GENERAL_SEVCO:
            score = (len(sevco & wanted), -index, design.id)
        else:
            continue
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else None


def sevco_codes(concepts: Sequence[Any]) -> list[str]:
    codes = []
    for concept in concepts:
        for coding in codings(concept):
            code = coding.get("code")
            if isinstance(code, str) and code.startswith("SEVCO:"):
                codes.append(code)
    return codes


def as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def effect_of(statistics: Sequence[Mapping[str, Any]]) -> Effect | None:
    """The first statistic with a known measure and a value, with its 95% CI and p."""
    for statistic in statistics:
        names = " ".join(
            str(c.get("display", "")).lower() for c in codings(statistic.get("statisticType"))
        )
        measure = next((m for word, m in MEASURES if word in names), None)
        quantity = statistic.get("quantity")
        value = quantity.get("value") if isinstance(quantity, dict) else None
        if measure is None or not isinstance(value, (int, float)):
            continue
        fields: dict[str, Any] = {"measure": measure, "estimate": value}
        for estimate in as_list(statistic.get("attributeEstimate")):
            if not isinstance(estimate, dict):
                continue
            kinds = {str(c.get("code")) for c in codings(estimate.get("type"))}
            span = estimate.get("range")
            if (
                "C53324" in kinds
                and estimate.get("level") in (0.95, None)
                and isinstance(span, dict)
            ):
                low = (span.get("low") or {}).get("value")
                high = (span.get("high") or {}).get("value")
                if (
                    isinstance(low, (int, float))
                    and isinstance(high, (int, float))
                    and low <= value <= high
                ):
                    fields["ci_low"], fields["ci_high"] = low, high
            amount = estimate.get("quantity")
            if "C44185" in kinds and isinstance(amount, dict):
                p = amount.get("value")
                if isinstance(p, (int, float)) and 0 <= p <= 1:
                    fields["p"] = p
        return Effect(**fields)
    return None


def unique(judgments: Sequence[Judgment]) -> tuple[Judgment, ...]:
    """One judgment per domain, the last one winning."""
    by_domain: dict[str, Judgment] = {}
    for judgment in judgments:
        by_domain[judgment.domain] = judgment
    return tuple(by_domain[name] for name in DOMAINS if name in by_domain)
