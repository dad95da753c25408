"""The design of a PubMed article, from its publication types, title, abstract and MeSH
headings: the precedence and the cues are in docs/import-pubmed.md."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from .cues import (
    ANIMAL_ABSTRACT_COUNT,
    ANIMAL_ABSTRACT_WORD,
    ANIMAL_TITLE,
    BEFORE_AFTER,
    BEFORE_AFTER_CUE,
    CASE_CONTROL,
    CASE_REPORT_ABSTRACT,
    CASE_REPORT_TITLE,
    CASE_SERIES,
    CLUSTER,
    CONTROLLED,
    CROSS_SECTIONAL,
    CROSSOVER,
    CROSSOVER_TITLE,
    ECOLOGICAL,
    GUIDELINES,
    IN_VITRO,
    MESH_SPECIES,
    META_TITLE,
    N_OF_1,
    NEGATED,
    NOT_RANDOMIZED,
    NOT_STUDIES,
    NOTICES,
    OBSERVATIONAL,
    PILOT,
    PROSPECTIVE,
    PROTOCOL_ABSTRACT,
    PROTOCOL_TITLE,
    RANDOMIZED,
    RANDOMIZED_OWN,
    RCT_SET,
    RCTS,
    RETROSPECTIVE,
    REVIEW_TITLE,
    SR_OF_ANIMALS,
    SR_OF_OBSERVATIONAL,
    SR_OF_RCTS,
    SR_TITLE,
    STUDY_TYPES,
    TITLE_SPECIES,
    TRIAL_CUE,
    TRIALS,
    VETERINARY,
)

__all__ = ["Classification", "classify"]


@attrs.frozen
class Classification:
    """The design of one article, and the other study fields that its type decides."""

    design: str
    basis: str
    article_type: str | None = None
    species: str | None = None
    pilot: bool | None = None
    randomized: bool | None = None
    status: str | None = None
    of: str | None = None


def _affirmed(pattern: re.Pattern[str], text: str) -> str | None:
    """The first match of ``pattern`` in ``text`` not negated ("non-", "not ", "quasi-")."""
    for match in pattern.finditer(text):
        if not NEGATED.search(text[max(0, match.start() - 7) : match.start()]):
            return match.group(0)
    return None


def _first(pattern: re.Pattern[str], *texts: str) -> str | None:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def _mesh_species(mesh: Sequence[str]) -> str | None:
    for heading in mesh:
        for prefix, name in MESH_SPECIES:
            if heading == prefix or heading.startswith(prefix + ","):
                return name
            if heading.startswith(prefix + " ") and prefix in ("Macaca", "Drosophila", "Xenopus"):
                return name
    return None


def _title_species(title: str) -> str | None:
    found = [(m.start(), name) for rx, name in TITLE_SPECIES if (m := rx.search(title))]
    return min(found)[1] if found else None


def _animal(title: str, abstract: str, mesh: Sequence[str], labelled: bool) -> str | None:
    """Why this is an animal study, or ``None``.

    MeSH ``Animals`` without ``Humans`` and animal words in the title always count; animals
    counted in the abstract count only for articles whose type says nothing of humans.
    """
    headings = set(mesh)
    if "Animals" in headings and "Humans" not in headings:
        return "MeSH Animals (not Humans)"
    cue = _first(ANIMAL_TITLE, title)
    if cue:
        return f"title cue {cue!r}"
    if not labelled and "Humans" not in headings:
        counted = _first(ANIMAL_ABSTRACT_COUNT, abstract)
        if counted:
            return f"abstract cue {counted!r}"
        if len(ANIMAL_ABSTRACT_WORD.findall(abstract)) >= 2:
            return f"abstract cue {_first(ANIMAL_ABSTRACT_WORD, abstract)!r}"
    return None


def _species(title: str, abstract: str, mesh: Sequence[str]) -> str | None:
    return _title_species(title) or _mesh_species(mesh) or _title_species(abstract)


def _randomized_design(
    title: str, abstract: str, mesh: Sequence[str], basis: str
) -> tuple[str, str]:
    """rct, or the kind of randomized trial the cues say it is."""
    cue = _first(N_OF_1, title, abstract)
    if cue:
        return "n-of-1-trial", f"{basis}; cue {cue!r}"
    cue = _first(CLUSTER, title, abstract)
    if cue:
        return "cluster-rct", f"{basis}; cue {cue!r}"
    cue = _first(CROSSOVER_TITLE, title) or _first(CROSSOVER, abstract)
    if cue:
        return "crossover-rct", f"{basis}; cue {cue!r}"
    if "Cross-Over Studies" in mesh:
        return "crossover-rct", f"{basis}; MeSH 'Cross-Over Studies'"
    return "rct", basis


def _trial_design(title: str, abstract: str, mesh: Sequence[str], basis: str) -> tuple[str, str]:
    """A trial whose type does not say randomized: rct only if the text says so."""
    text = f"{title} {abstract}"
    cue = _affirmed(RANDOMIZED, title) or (
        _affirmed(RANDOMIZED_OWN, abstract) if not NOT_RANDOMIZED.search(text) else None
    )
    if cue:
        return _randomized_design(title, abstract, mesh, f"{basis}; cue {cue!r}")
    cue = _first(NOT_RANDOMIZED, title, abstract) or _first(CONTROLLED, title, abstract)
    if cue:
        return "non-randomized-trial", f"{basis}; cue {cue!r}"
    return "single-arm-trial", f"{basis}; no control arm stated"


def _observational_design(
    title: str, abstract: str, mesh: Sequence[str], basis: str, default: str | None
) -> tuple[str, str] | None:
    cues = (
        (CASE_CONTROL, "case-control"),
        (CROSS_SECTIONAL, "cross-sectional"),
        (ECOLOGICAL, "ecological"),
        (BEFORE_AFTER_CUE, "interrupted-time-series"),
        (RETROSPECTIVE, "retrospective-cohort"),
        (PROSPECTIVE, "prospective-cohort"),
    )
    for pattern, design in cues:
        cue = _first(pattern, title, abstract)
        if cue:
            return design, f"{basis}cue {cue!r}"
    headings = (
        ("Case-Control Studies", "case-control"),
        ("Cross-Sectional Studies", "cross-sectional"),
        ("Retrospective Studies", "retrospective-cohort"),
        ("Prospective Studies", "prospective-cohort"),
        ("Cohort Studies", "prospective-cohort"),
        ("Longitudinal Studies", "prospective-cohort"),
    )
    for heading, design in headings:
        if heading in mesh:
            return design, f"{basis}MeSH {heading!r}"
    if default is not None:
        return default, f"{basis}no further design stated"
    return None


def _review_of(abstract: str, title: str) -> str | None:
    """The design a systematic review or meta-analysis includes, where it says."""
    text = f"{title} {abstract}"
    if SR_OF_ANIMALS.search(text) and not SR_OF_RCTS.search(text):
        return "animal"
    for pattern, design in SR_OF_OBSERVATIONAL:
        if pattern.search(text):
            return design
    return None


def classify(
    publication_types: Iterable[str],
    title: str = "",
    abstract: str = "",
    mesh: Iterable[str] = (),
) -> Classification:
    """The design of an article from its publication types, title, abstract and MeSH headings.

    Precedence (docs/import-pubmed.md): notices (errata, retraction notices), then study
    protocols, then the strongest study publication type, then editorials / comments / letters
    / news, then cues in the title and abstract of articles typed only "Journal Article".
    """
    types = list(publication_types)
    headings = list(mesh)
    kinds = set(types)
    retracted = "Retracted Publication" in kinds
    status = "retracted" if retracted else None

    for ptype, article_type in NOTICES.items():
        if ptype in kinds:
            return Classification(
                "expert-opinion", f"publication type {ptype!r}", article_type, status=status
            )

    def done(design: str, basis: str, **extra: Any) -> Classification:
        pilot = None
        if design not in ("case-report", "expert-opinion", "narrative-review", "guideline"):
            cue = _first(PILOT, title, abstract)
            if cue or "Pilot Projects" in headings or "Feasibility Studies" in headings:
                pilot = True
        return Classification(
            design, basis, pilot=pilot, status=extra.pop("status", status), **extra
        )

    study_types = STUDY_TYPES
    not_study = [ptype for ptype in types if ptype in NOT_STUDIES]
    only_opinion = bool(not_study) and not (kinds & study_types)

    # Protocols: a plan with no results, whatever trial it plans.
    protocol = "Clinical Trial Protocol" in kinds
    cue = None if protocol else _first(PROTOCOL_TITLE, title) or _first(PROTOCOL_ABSTRACT, abstract)
    if (protocol or cue) and not only_opinion:
        randomized = bool(kinds & RCT_SET) or bool(_affirmed(RANDOMIZED, title))
        basis = "publication type 'Clinical Trial Protocol'" if protocol else f"title cue {cue!r}"
        return done(
            "protocol",
            basis,
            randomized=True if randomized else None,
            status=status or "planned",
        )

    labelled = bool(kinds & study_types)
    animal = _animal(title, abstract, headings, labelled)

    if "Meta-Analysis" in kinds:
        return done(
            "meta-analysis", "publication type 'Meta-Analysis'", of=_review_of(abstract, title)
        )
    if "Systematic Review" in kinds:
        return done(
            "systematic-review",
            "publication type 'Systematic Review'",
            of=_review_of(abstract, title),
        )
    for ptype in GUIDELINES:
        if ptype in kinds:
            return done("guideline", f"publication type {ptype!r}")

    veterinary = bool(kinds & VETERINARY)
    if not labelled:
        for ptype in ("Scoping Review", "Review"):
            if ptype in kinds:
                return done("narrative-review", f"publication type {ptype!r}")
    if (veterinary or animal) and not only_opinion:
        why = animal or "veterinary publication type"
        randomized = bool(kinds & RCT_SET) or bool(
            _affirmed(RANDOMIZED, title) or _affirmed(RANDOMIZED_OWN, abstract)
        )
        return done(
            "animal",
            why,
            species=_species(title, abstract, headings),
            randomized=True if randomized else None,
        )

    for ptype in RCTS:
        if ptype in kinds:
            design, basis = _randomized_design(
                title, abstract, headings, f"publication type {ptype!r}"
            )
            return done(design, basis)
    if "Controlled Clinical Trial" in kinds:
        design, basis = _trial_design(
            title, abstract, headings, "publication type 'Controlled Clinical Trial'"
        )
        if design == "single-arm-trial":
            design, basis = "non-randomized-trial", "publication type 'Controlled Clinical Trial'"
        return done(design, basis)
    for ptype in TRIALS:
        if ptype in kinds:
            design, basis = _trial_design(title, abstract, headings, f"publication type {ptype!r}")
            return done(design, basis)
    for ptype in BEFORE_AFTER:
        if ptype in kinds:
            return done("interrupted-time-series", f"publication type {ptype!r}")
    for ptype in OBSERVATIONAL:
        if ptype in kinds:
            found = _observational_design(
                title, abstract, headings, f"publication type {ptype!r}; ", "cross-sectional"
            )
            assert found is not None
            return done(*found)
    if "Case Reports" in kinds:
        cue = _first(CASE_SERIES, title, abstract)
        if cue:
            return done("case-series", f"publication type 'Case Reports'; cue {cue!r}")
        return done("case-report", "publication type 'Case Reports'")

    if not_study:
        ptype = not_study[0]
        return done(
            "expert-opinion", f"publication type {ptype!r}", article_type=NOT_STUDIES[ptype]
        )

    return _from_cues(title, abstract, headings, done)


def _from_cues(
    title: str,
    abstract: str,
    mesh: Sequence[str],
    done: Callable[..., Classification],
) -> Classification:
    """The design of an article whose publication types say only "Journal Article"."""
    cue = _first(META_TITLE, title)
    if cue:
        return done("meta-analysis", f"title cue {cue!r}", of=_review_of(abstract, title))
    cue = _first(SR_TITLE, title)
    if cue:
        return done("systematic-review", f"title cue {cue!r}", of=_review_of(abstract, title))
    cue = _affirmed(RANDOMIZED, title) or _affirmed(RANDOMIZED_OWN, abstract)
    if cue and not _first(NOT_RANDOMIZED, title, abstract):
        return done(*_randomized_design(title, abstract, mesh, f"cue {cue!r}"))
    cue = _first(CASE_REPORT_TITLE, title) or _first(CASE_REPORT_ABSTRACT, abstract)
    if cue:
        return done("case-report", f"cue {cue!r}")
    cue = _first(CASE_SERIES, title, abstract)
    if cue:
        return done("case-series", f"cue {cue!r}")
    cue = _first(TRIAL_CUE, title, abstract)
    if cue:
        return done(*_trial_design(title, abstract, mesh, f"cue {cue!r}"))
    found = _observational_design(title, abstract, mesh, "", None)
    if found is not None:
        return done(*found)
    cue = _first(REVIEW_TITLE, title)
    if cue:
        return done("narrative-review", f"title cue {cue!r}")
    cue = _first(IN_VITRO, title)
    headings = set(mesh)
    if cue and "Humans" not in headings:
        return done("in-vitro", f"title cue {cue!r}")
    if headings and not headings & {"Humans", "Animals"}:
        return done("in-vitro", "MeSH headings name neither Humans nor Animals")
    return done("case-series", "no design stated: the weakest design with participants")
