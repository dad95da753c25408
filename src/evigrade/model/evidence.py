"""The evidence model: frozen attrs classes for the source, its studies and the claims they are
cited for, and the links between them.

Optional fields are ``None`` when the file leaves them out, so that dumping a loaded file writes
back exactly what was read; the ``effective`` properties (``Study.in_humans``, ``Study.is_pilot``
...) apply the format's defaults. Keys starting ``x-`` are kept in ``extensions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .grades import Judgment
from .values import (
    RATIO_MEASURES,
    Applicable,
    Blinding,
    Control,
    Direction,
    Funding,
    Measure,
    OutcomeKind,
    OutcomeType,
    SourceKind,
    Status,
    Tool,
    null_value,
)

__all__ = [
    "Applicability",
    "Claim",
    "Effect",
    "Events",
    "EvidenceFile",
    "EvidenceLink",
    "Heterogeneity",
    "IncludedRiskOfBias",
    "RiskOfBias",
    "Source",
    "Study",
    "Thresholds",
]


def _extensions() -> Any:
    return attrs.field(factory=dict, hash=False, kw_only=True)


@attrs.frozen
class Source:
    """The writing the claims come from."""

    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    kind: SourceKind | None = None
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen
class RiskOfBias:
    """A risk-of-bias assessment in the words of its tool (RoB 2, ROBINS-I, SYRCLE ...)."""

    tool: Tool
    overall: str | None = None
    domains: Mapping[str, str] = attrs.field(factory=dict, hash=False)


@attrs.frozen
class IncludedRiskOfBias:
    """How many of a pooled result's included studies are at each risk of bias (``None``
    where the file gives no count); ``tool`` is the tool the review used."""

    tool: Tool | None = None
    low: int | None = None
    some_concerns: int | None = None
    high: int | None = None
    critical: int | None = None
    unclear: int | None = None

    @property
    def counted(self) -> int:
        """The included studies counted at some risk."""
        return sum(
            value or 0
            for value in (self.low, self.some_concerns, self.high, self.critical, self.unclear)
        )


@attrs.frozen
class Study:
    """One study as cited: its design, size and identity. ``n`` is ``None`` when not reported."""

    id: str
    design: str
    n: int | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    journal: str | None = None
    doi: str | None = None
    pmid: str | None = None
    nct: str | None = None
    url: str | None = None
    species: str | None = None
    population: str | None = None
    pilot: bool | None = None
    randomized: bool | None = None
    blinding: Blinding | None = None
    control: Control | None = None
    duration: str | None = None
    status: Status | None = None
    risk_of_bias: RiskOfBias | None = None
    funding: Funding | None = None
    of: str | None = None
    included_studies: int | None = None
    included_risk_of_bias: IncludedRiskOfBias | None = None
    extensions: Mapping[str, Any] = _extensions()

    @property
    def effective_species(self) -> str:
        return self.species or "human"

    @property
    def is_pilot(self) -> bool:
        return bool(self.pilot)

    @property
    def effective_status(self) -> str:
        return self.status or "completed"


@attrs.frozen
class Heterogeneity:
    """The heterogeneity of a pooled effect: I² (percent), and tau² and the p-value of the
    test of heterogeneity when recorded."""

    i2: float
    tau2: float | None = None
    p: float | None = None


@attrs.frozen
class Effect:
    """An effect estimate with its 95% confidence interval (and, pooled, its heterogeneity)."""

    measure: Measure
    estimate: float
    ci_low: float | None = None
    ci_high: float | None = None
    p: float | None = None
    heterogeneity: Heterogeneity | None = None

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    @property
    def null_value(self) -> float:
        """The value meaning "no effect" on this measure's scale."""
        return null_value(self.measure)


@attrs.frozen
class Events:
    """Event counts for a dichotomous outcome."""

    intervention: int
    control: int


@attrs.frozen
class Applicability:
    """How directly a study answers the claim's PICO, element by element."""

    population: Applicable | None = None
    intervention: Applicable | None = None
    comparator: Applicable | None = None
    outcome: Applicable | None = None


@attrs.frozen
class EvidenceLink:
    """One study's result for one claim.

    ``addresses`` is ``False`` when the cited study reports nothing on the claim;
    ``cited_by_source`` says whether the source itself cites the study for the claim (``True``)
    or the encoder linked it (``False``). ``included_studies`` and ``included_risk_of_bias``
    describe the studies a review pools for this outcome, when they differ from the study's.
    """

    study: str
    direction: Direction
    effect: Effect | None = None
    events: Events | None = None
    n: int | None = None
    applicability: Applicability | None = None
    dose_response: bool | None = None
    quote: str | None = None
    addresses: bool | None = None
    cited_by_source: bool | None = None
    included_studies: int | None = None
    included_risk_of_bias: IncludedRiskOfBias | None = None
    extensions: Mapping[str, Any] = _extensions()

    @property
    def addresses_claim(self) -> bool:
        """Whether the study reports on the claim (the default unless ``addresses`` is false)."""
        return self.addresses is not False


@attrs.frozen
class Thresholds:
    """A claim's decision threshold: the minimal important difference ``mid`` on the scale of
    ``measure`` (for RR, OR and HR a relative change: 0.25 is 0.75 and 1.25)."""

    measure: Measure
    mid: float


@attrs.frozen
class Claim:
    """A claim as written, its PICO, and the evidence cited for it.

    ``thresholds`` and ``control_risk`` (the outcome's risk without the intervention) are what
    the claim says of the effect that matters, for imprecision.
    """

    id: str
    text: str
    evidence: tuple[EvidenceLink, ...] = ()
    population: str | None = None
    intervention: str | None = None
    comparator: str | None = None
    outcome: str | None = None
    outcome_kind: OutcomeKind | None = None
    outcome_type: OutcomeType | None = None
    species: str | None = None
    judgments: tuple[Judgment, ...] = ()
    thresholds: Thresholds | None = None
    control_risk: float | None = None
    extensions: Mapping[str, Any] = _extensions()

    @property
    def effective_outcome_kind(self) -> str:
        return self.outcome_kind or "patient-important"

    @property
    def effective_species(self) -> str:
        return self.species or "human"

    def judgment(self, domain: str) -> Judgment | None:
        """The reviewer's judgment of ``domain``, if the file has one."""
        return next((j for j in self.judgments if j.domain == domain), None)


@attrs.frozen
class EvidenceFile:
    """An evidence file: studies, and the claims they are cited for.

    ``schema`` is the file's ``$schema`` key, for editors that find the schema through it.
    """

    studies: tuple[Study, ...] = ()
    claims: tuple[Claim, ...] = ()
    version: str = "1"
    title: str | None = None
    source: Source | None = None
    schema: str | None = None
    extensions: Mapping[str, Any] = _extensions()

    def study(self, study_id: str) -> Study:
        """The study with this id; ``KeyError`` if there is none."""
        for study in self.studies:
            if study.id == study_id:
                return study
        raise KeyError(study_id)

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id; ``KeyError`` if there is none."""
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(claim_id)
