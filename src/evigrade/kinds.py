"""The kinds of thing plugins register, and the registry that holds what they registered.

This is the bottom of the plugin layer: the hook specifications and the plugin manager import
these classes, the stages (validation, loading, grading, import/export, rendering) receive a
:class:`Registry` (or the part of it they need), and nothing here imports a stage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import attrs

from .domains import DOMAINS
from .problems import Problem
from .risk import DEFAULT_UNASSESSED_RISK, UNASSESSED_RISK_POLICIES, UnassessedRisk

if TYPE_CHECKING:
    import click
    import pluggy

    from .grading import Assessment, Report
    from .model import Claim, EvidenceFile, EvidenceLink, Grade, Judgment, RationaleStep, Study

__all__ = [
    "ALL_SCHEMES",
    "DEFAULT_OPTIONS",
    "DEFAULT_SCHEME",
    "DETAILS",
    "EXTRACTOR_KINDS",
    "FAMILIES",
    "NO_EVIDENCE",
    "PYRAMID_TIERS",
    "STRENGTH_LABELS",
    "Assessor",
    "Body",
    "ClaimScorer",
    "Design",
    "Designs",
    "Detail",
    "EvidenceItem",
    "ExportError",
    "Exporter",
    "Extractor",
    "Family",
    "GradingOptions",
    "ImportRecord",
    "Importer",
    "OutputFormat",
    "PluginFailure",
    "PluginInfo",
    "Registry",
    "RenderOptions",
    "Scheme",
    "Strength",
    "one_line",
]

# -- designs ----------------------------------------------------------------------------------

Family = Literal["randomized", "non-randomized", "uncontrolled", "non-human", "non-empirical"]

#: Families in order of the strength of their designs, strongest first.
FAMILIES: tuple[Family, ...] = (
    "randomized",
    "non-randomized",
    "uncontrolled",
    "non-human",
    "non-empirical",
)

#: The evidence pyramid, tier number -> label; higher is stronger (docs/schemes.md#pyramid).
PYRAMID_TIERS: dict[int, str] = {
    8: "Systematic review or meta-analysis",
    7: "Randomized controlled trial",
    6: "Cohort or non-randomized controlled study",
    5: "Case-control or other observational study",
    4: "Case series or case report",
    3: "Expert opinion or mechanistic reasoning",
    2: "Animal or laboratory research",
    1: "Anecdote",
}

GradeStart = Literal[1, 2, 3, 4]

_SLUG = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")


def _design_check(test: Callable[[Any], bool], what: Callable[[Any], str]) -> Any:
    """An attrs validator whose error names the design, as a plugin author reads it."""

    def check(design: Design, attribute: Any, value: Any) -> None:
        if not test(value):
            raise ValueError(f"design {design.id!r}: {what(value)}")

    return check


@attrs.frozen(kw_only=True)
class Design:
    """One study design and its place in every built-in scheme.

    ``grade_start`` is the GRADE starting certainty (4 High .. 1 Very low), or ``None`` when
    the design is not evidence under GRADE (opinion, mechanism, anecdote, protocol).
    ``cebm_level`` is the Oxford CEBM 2011 "does this intervention help?" level, or ``None``
    where the table has none. ``randomized`` is ``None`` for designs that may or may not be
    randomized (animal and laboratory experiments). ``pools`` is set for a synthesis of other
    studies (a meta-analysis or systematic review): the id of the design it combines when a
    study does not say (its ``of``).
    """

    id: str = attrs.field(
        validator=_design_check(
            lambda v: isinstance(v, str) and _SLUG.fullmatch(v) is not None,
            lambda v: "the id is not a lower-case slug, so no file can cite it",
        )
    )
    label: str
    family: Family = attrs.field(
        validator=_design_check(
            lambda v: v in FAMILIES, lambda v: f"family {v!r} is not one of {FAMILIES}"
        )
    )
    randomized: bool | None
    needs_participants: bool
    grade_start: GradeStart | None = attrs.field(
        validator=_design_check(
            lambda v: v in (None, 1, 2, 3, 4), lambda v: f"GRADE start {v!r} is not 1..4"
        )
    )
    cebm_level: int | None = attrs.field(
        validator=_design_check(
            lambda v: v in (None, 1, 2, 3, 4, 5), lambda v: f"CEBM level {v!r} is not 1..5"
        )
    )
    pyramid_tier: int | None = attrs.field(
        validator=_design_check(
            lambda v: v is None or v in PYRAMID_TIERS,
            lambda v: f"pyramid tier {v!r} is not 1..8",
        )
    )
    sevco: tuple[str, ...] = ()
    has_results: bool = True
    in_humans: bool = True
    pools: str | None = None
    description: str = ""

    @property
    def pyramid_label(self) -> str | None:
        """The evidence-pyramid tier this design sits in, or ``None`` (protocols)."""
        return None if self.pyramid_tier is None else PYRAMID_TIERS[self.pyramid_tier]

    @property
    def counts_for_grade(self) -> bool:
        """Whether a completed study of this design is evidence under GRADE."""
        return self.grade_start is not None and self.has_results

    @property
    def is_synthesis(self) -> bool:
        """A design that combines other studies (a meta-analysis or systematic review)."""
        return self.pools is not None


#: The designs a file may cite, by id: what validation and loading need of a registry.
Designs = Mapping[str, Design]


# -- assessors --------------------------------------------------------------------------------


@attrs.frozen
class EvidenceItem:
    """One evidence link joined to its study and the design it is graded as.

    ``design`` is the study's own design, except that a comparative design whose study has no
    control group is graded as a case series; ``reading`` then says why. ``included`` is set
    for a synthesis (a meta-analysis or systematic review): the design of the studies it
    combines (its ``of``, else the design's default), ``None`` for any other study.
    """

    link: EvidenceLink
    study: Study
    design: Design
    reading: str | None = None
    included: Design | None = None

    @property
    def id(self) -> str:
        return self.study.id

    @property
    def size(self) -> int | None:
        """Participants analysed for this claim: the link's ``n``, else the study's."""
        return self.link.n if self.link.n is not None else self.study.n

    @property
    def randomized(self) -> bool:
        """Randomized by design (a synthesis: by its studies' design), or, for designs that
        may be either, by the study's word."""
        if self.included is not None and self.included.randomized is not None:
            return self.included.randomized
        if self.design.randomized is not None:
            return self.design.randomized
        return bool(self.study.randomized)


def _policy_check(options: GradingOptions, attribute: Any, value: Any) -> None:
    if value not in UNASSESSED_RISK_POLICIES:
        raise ValueError(
            f"unassessed_risk must be one of {', '.join(UNASSESSED_RISK_POLICIES)}, found {value!r}"
        )


@attrs.frozen(kw_only=True)
class GradingOptions:
    """The user's choices that every assessor and scheme applies the same way.

    ``unassessed_risk``: how a study whose risk of bias nothing in the file records is
    counted, in every scheme that weighs risk of bias (:data:`evigrade.risk.
    UNASSESSED_RISK_POLICIES`): ``"unclear"`` (the default) counts it at unclear risk,
    ``"not-rated"`` leaves it out, and risk of bias is not rated for it.
    """

    unassessed_risk: UnassessedRisk = attrs.field(
        default=DEFAULT_UNASSESSED_RISK, validator=_policy_check
    )


#: The options grading uses when it is given none.
DEFAULT_OPTIONS = GradingOptions()


@attrs.frozen
class Body:
    """The claim and the evidence items an assessor is asked about, sorted by study id, and
    the grading options in force."""

    claim: Claim
    items: tuple[EvidenceItem, ...]
    options: GradingOptions = DEFAULT_OPTIONS
    #: The study ids of ``items``, in order (worked out once: every assessor asks for them).
    ids: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(item.study.id for item in self.items))


@attrs.frozen
class Assessor:
    """A named rule for one domain; ``assess`` must be deterministic and must not raise."""

    name: str
    domain: str
    assess: Callable[[Body], Judgment]
    description: str = ""


# -- schemes ----------------------------------------------------------------------------------

#: The label of rank 0 in every built-in scheme.
NO_EVIDENCE = "No evidence"

#: The scheme graded under when none is named (``evigrade grade``, the corpus functions).
DEFAULT_SCHEME = "grade"
#: The name that selects every registered scheme (``--scheme all``).
ALL_SCHEMES = "all"


@attrs.frozen
class Scheme:
    """A named grading scheme.

    ``labels`` are in order of rank, ``labels[rank] == grade.label``, rank 0 being the scheme's
    "no evidence" state. ``grade`` receives an :class:`evigrade.grading.Assessment` and must
    return the same grade for the same input. ``name`` is never ``"all"``, which selects every
    scheme.
    """

    name: str = attrs.field()
    title: str
    labels: tuple[str, ...]
    grade: Callable[[Assessment], Grade]

    @name.validator
    def _not_all(self, _attribute: object, value: str) -> None:
        if value == ALL_SCHEMES:
            raise ValueError(f"a scheme cannot be called {ALL_SCHEMES!r}: it selects every scheme")

    description: str = ""
    source: str = ""

    def rank_of(self, label: str) -> int:
        """The rank of ``label`` in this scheme; ``ValueError`` if it is not one of its labels."""
        return self.labels.index(label)


# -- output formats ---------------------------------------------------------------------------

#: How much of each grade's rationale a table or Markdown report shows.
Detail = Literal["moves", "full"]
DETAILS: tuple[Detail, ...] = ("moves", "full")


def _width(_instance: object, _attribute: object, value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise ValueError(f"width must be a number of columns >= 1 or None, found {value!r}")


@attrs.frozen(kw_only=True)
class RenderOptions:
    """How an output format lays a report out.

    ``detail`` is ``"moves"`` (the default: the steps that set or moved each grade and the
    notes that matter, leaving out each domain that was looked at and rated neutral, such as
    "not serious"; repeated notes are shown once with all their studies) or ``"full"`` (every
    step, as the JSON output always has). ``width`` is the number of columns of the terminal
    the text is printed on, or ``None`` for text of no fixed width (a file, a pipe), which is
    never wrapped or cut.
    """

    detail: Detail = attrs.field(default="moves", validator=attrs.validators.in_(DETAILS))
    width: int | None = attrs.field(default=None, validator=_width)

    def steps(self, grade: Grade) -> tuple[RationaleStep, ...]:
        """The steps of ``grade``'s rationale to show at this detail, in order."""
        if self.detail == "full":
            return grade.rationale
        shown: list[RationaleStep] = []
        for step in grade.rationale:
            if _neutral_check(step):
                continue
            last = shown[-1] if shown else None
            if last is not None and step.kind == "note" and _same_note(last, step):
                studies = tuple(dict.fromkeys((*last.studies, *step.studies)))
                shown[-1] = attrs.evolve(last, studies=studies)
                continue
            shown.append(step)
        return tuple(shown)


def _neutral_check(step: RationaleStep) -> bool:
    """A domain looked at by a rule and rated neutral (not serious, none, absent): a step that
    moved nothing and says so for every claim. A reviewer's judgment is always shown."""
    domain = DOMAINS.get(step.domain or "")
    return (
        step.kind == "check"
        and step.change == 0
        and step.source != "reviewer"
        and domain is not None
        and step.rating in (None, domain.neutral)
    )


def _same_note(first: RationaleStep, second: RationaleStep) -> bool:
    return first.kind == "note" and attrs.evolve(first, studies=()) == attrs.evolve(
        second, studies=()
    )


@attrs.frozen
class OutputFormat:
    """A named way to print a :class:`~evigrade.grading.Report` (``--format NAME``).

    ``render(report)`` returns the text; a format that sets ``takes_options`` is called as
    ``render(report, options)`` with the :class:`RenderOptions` of the run (the detail asked
    for, the terminal's width). Call :meth:`text` rather than ``render``: it passes what the
    format takes.
    """

    name: str
    render: Callable[[Report], str] | Callable[[Report, RenderOptions], str]
    description: str = ""
    takes_options: bool = False

    def text(self, report: Report, options: RenderOptions | None = None) -> str:
        """The report in this format, laid out as ``options`` say (default: the defaults)."""
        if self.takes_options:
            with_options = cast("Callable[[Report, RenderOptions], str]", self.render)
            return with_options(report, options or RenderOptions())
        plain = cast("Callable[[Report], str]", self.render)
        return plain(report)


# -- importers and exporters ------------------------------------------------------------------


@attrs.frozen
class ImportRecord:
    """One record of a source: a study and the claims it brings, or the problem with it."""

    study: Study | None = None
    claims: tuple[Claim, ...] = ()
    problem: Problem | None = None


@attrs.frozen
class Importer:
    """A named reader of one kind of source file (``evigrade import NAME``)."""

    name: str
    title: str
    read: Callable[[str, Registry], Iterator[ImportRecord]]
    description: str = ""


@attrs.frozen
class Exporter:
    """A named writer of one kind of document (``evigrade export NAME``)."""

    name: str
    title: str
    write: Callable[[EvidenceFile, Registry], Any]
    description: str = ""


class ExportError(ValueError):
    """An evidence file cannot be expressed in the export format."""


# -- the article checker's scorers and extractors ---------------------------------------------

#: The ordinal scale of wording strength (Yu, Li & Wang 2019; Sumner et al. 2014), weakest first.
STRENGTH_LABELS: tuple[str, ...] = ("none", "correlational", "conditional-causal", "direct-causal")

#: What an extractor can extract.
EXTRACTOR_KINDS: tuple[str, ...] = ("references", "claims")


def _level(_instance: object, _attribute: object, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3:
        raise ValueError(f"strength level must be 0, 1, 2 or 3, found {value!r}")


@attrs.frozen
class Strength:
    """How strongly a sentence states a relationship: ``level`` 0 (none) to 3 (direct causal),
    the words that decided it (``cues``), and notes on negation and hedging."""

    level: int = attrs.field(validator=_level)
    cues: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``none``, ``correlational``, ``conditional-causal`` or ``direct-causal``."""
        return STRENGTH_LABELS[self.level]

    def to_data(self) -> dict[str, Any]:
        return {"strength": self.label, "level": self.level, "cues": list(self.cues)}


@attrs.frozen
class ClaimScorer:
    """A named scorer of wording strength: ``score(sentence)`` returns a :class:`Strength`."""

    name: str
    score: Callable[[str], Strength]
    description: str = ""


@attrs.frozen
class Extractor:
    """A named extractor of one ``kind`` (``references`` or ``claims``) from a read article.

    A ``references`` extractor's ``extract(article)`` receives the read article
    (:class:`evigrade.article.text.Article`) and returns its reference list as a tuple of
    :class:`evigrade.article.references.Reference`; a ``claims`` extractor's
    ``extract(reading)`` receives a :class:`evigrade.article.claims.Reading` (the article, its
    references and citations, and the scorer in use) and returns the claims it finds as a
    tuple of :class:`evigrade.article.claims.FoundClaim`.
    """

    name: str
    kind: str = attrs.field(validator=attrs.validators.in_(EXTRACTOR_KINDS))
    extract: Callable[..., Any]
    description: str = ""


# -- the registry -----------------------------------------------------------------------------


def one_line(error: BaseException, limit: int = 400) -> str:
    """The error's type and message on one line (every line of it, joined), never a traceback."""
    detail = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
    if len(detail) > limit:
        detail = detail[: limit - 1] + "…"
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


@attrs.frozen
class PluginFailure:
    """A plugin that failed: which, where from, at what stage, and the error in one line."""

    plugin: str
    stage: str
    message: str
    distribution: str | None = None
    version: str | None = None

    def __str__(self) -> str:
        origin = f" ({self.distribution} {self.version})" if self.distribution else ""
        return f"plugin {self.plugin!r}{origin} failed while {self.stage}: {self.message}"


PluginStatus = Literal["loaded", "failed", "disabled"]


@attrs.frozen
class PluginInfo:
    """A plugin the manager knows of: where it comes from and what happened to it."""

    name: str
    distribution: str | None
    version: str | None
    builtin: bool
    status: PluginStatus
    hooks: tuple[str, ...] = ()


@attrs.define
class Registry:
    """Everything the plugins registered, by kind and name, with who registered it."""

    designs: dict[str, Design] = attrs.field(factory=dict)
    assessors: dict[str, list[Assessor]] = attrs.field(factory=dict)
    schemes: dict[str, Scheme] = attrs.field(factory=dict)
    formats: dict[str, OutputFormat] = attrs.field(factory=dict)
    importers: dict[str, Importer] = attrs.field(factory=dict)
    exporters: dict[str, Exporter] = attrs.field(factory=dict)
    commands: dict[str, click.Command] = attrs.field(factory=dict)
    #: The article checker's wording-strength scorers by name, and its extractors by
    #: ``"kind:name"`` (``"claims:rules"``).
    scorers: dict[str, ClaimScorer] = attrs.field(factory=dict)
    extractors: dict[str, Extractor] = attrs.field(factory=dict)
    plugins: list[PluginInfo] = attrs.field(factory=list)
    failures: list[PluginFailure] = attrs.field(factory=list)
    owners: dict[tuple[str, str], str] = attrs.field(factory=dict)
    manager: pluggy.PluginManager | None = None

    def owner(self, kind: str, name: str) -> str:
        """The plugin that registered ``kind`` ``name`` (e.g. ``("scheme", "grade")``)."""
        return self.owners.get((kind, name), "?")

    def plugin(self, name: str) -> PluginInfo | None:
        """What the manager knows of the plugin called ``name``."""
        return next((p for p in self.plugins if p.name == name), None)

    def failure(self, plugin: str, stage: str, error: BaseException | str) -> PluginFailure:
        """Describe a failure of ``plugin`` at ``stage``, naming its distribution."""
        info = self.plugin(plugin)
        message = error if isinstance(error, str) else one_line(error)
        return PluginFailure(
            plugin,
            stage,
            message,
            info.distribution if info else None,
            info.version if info else None,
        )

    def fail(self, plugin: str, stage: str, error: BaseException | str) -> PluginFailure:
        """Record that ``plugin`` failed while loading or registering; return the record."""
        failure = self.failure(plugin, stage, error)
        self.failures.append(failure)
        return failure

    def scheme(self, name: str) -> Scheme:
        """The scheme called ``name``; ``ValueError`` names the registered ones."""
        return _named(self.schemes, "scheme", name, ordered=False)

    def select_schemes(self, names: Sequence[str] | None = None) -> tuple[str, ...]:
        """The schemes a run grades under: ``names`` in the order given, each once, where
        ``"all"`` stands for every registered scheme in registration order; GRADE
        (:data:`DEFAULT_SCHEME`) when none is named. ``ValueError`` names the registered
        schemes when a name is not one of them."""
        if isinstance(names, str):
            raise TypeError(f"names is a sequence of scheme names, found the string {names!r}")
        selected: list[str] = []
        for name in names or (DEFAULT_SCHEME,):
            selected.extend(self.schemes if name == ALL_SCHEMES else (self.scheme(name).name,))
        return tuple(dict.fromkeys(selected))

    def output_format(self, name: str) -> OutputFormat:
        """The output format called ``name``; ``ValueError`` names the registered ones."""
        return _named(self.formats, "format", name)

    def importer(self, name: str) -> Importer:
        """The importer called ``name``; ``ValueError`` names the registered ones."""
        return _named(self.importers, "import kind", name)

    def exporter(self, name: str) -> Exporter:
        """The exporter called ``name``; ``ValueError`` names the registered ones."""
        return _named(self.exporters, "export kind", name)

    def scorer(self, name: str) -> ClaimScorer:
        """The wording-strength scorer called ``name``; ``ValueError`` names the registered
        ones."""
        return _named(self.scorers, "scorer", name)

    def extractor(self, kind: str, name: str) -> Extractor:
        """The extractor of ``kind`` called ``name``; ``ValueError`` names the registered
        ones of that kind."""
        found = self.extractors.get(f"{kind}:{name}")
        if found is None:
            known = sorted(k.split(":", 1)[1] for k in self.extractors if k.startswith(kind + ":"))
            raise ValueError(
                f"unknown {kind} extractor {name!r}; available: {', '.join(known) or 'none'}"
            )
        return found


_Named = TypeVar("_Named")


def _named(table: dict[str, _Named], what: str, name: str, *, ordered: bool = True) -> _Named:
    try:
        return table[name]
    except KeyError:
        known = ", ".join(sorted(table) if ordered else table) or "none"
        raise ValueError(f"unknown {what} {name!r}; available: {known}") from None
