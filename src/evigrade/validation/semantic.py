"""The rules of an evidence file that the schema cannot express: unique ids, known designs and
studies, sizes that fit the design, and effects, sizes and events that agree."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..problems import Problem
from .hints import suggest
from .pooled import pooled_link_problems, pooled_study_problems

if TYPE_CHECKING:
    from ..kinds import Designs

__all__ = [
    "semantic_problems",
]


def semantic_problems(data: Any, designs: Designs) -> Iterator[Problem]:
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
            yield from pooled_link_problems(link, f"{where}/evidence/{link_index}", study, designs)


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
            f"or case-report (see `evigrade designs`){suggest(design_id, designs)}",
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
                f"{suggest(of, designs)}",
                pointer=f"{where}/of",
                kind="semantic",
                keyword="known-design",
            )
    yield from pooled_study_problems(study, where, design_id, designs)
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
                f"expected one of {listing}{suggest(study_id, known)}",
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
