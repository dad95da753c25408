"""Grading: sort a claim's evidence, run the assessors, and ask each scheme for a grade.

Only completed studies with results are graded; protocols and ongoing or planned studies are
listed as pending, terminated and retracted ones, and studies cited for a claim they report
nothing on (``addresses: false``), as excluded. Everything is sorted by study id
first, so the order of studies and evidence in a file never changes a grade.

The registry (which designs, assessors and schemes there are) is always given: this stage never
looks up the installed plugins itself. Schemes finish their grade with :func:`finish_grade`
(or :func:`no_evidence`), so that every scheme lists the studies it read as another design,
the pending ones and the ones it left out in the same way.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .domains import DOMAINS
from .kinds import (
    DEFAULT_OPTIONS,
    NO_EVIDENCE,
    Assessor,
    Body,
    EvidenceItem,
    GradingOptions,
    PluginFailure,
    Registry,
    Scheme,
)
from .model import BodyDirection, Grade, Judgment, RationaleStep, StudyNote
from .plugins import guard

if TYPE_CHECKING:
    from .model import Claim, EvidenceFile

__all__ = [
    "Assessment",
    "ClaimResult",
    "Report",
    "SchemeTimeout",
    "assess",
    "direction_of",
    "finish_grade",
    "grade_claim",
    "grade_file",
    "left_out_steps",
    "no_evidence",
    "reading_notes",
]


def direction_of(items: Iterable[EvidenceItem]) -> BodyDirection:
    """The direction of a body: supports, contradicts, mixed, or none (nothing, or only
    inconclusive results)."""
    directions = {item.link.direction for item in items}
    if "mixed" in directions or (
        "supports" in directions and directions & {"contradicts", "inconclusive"}
    ):
        return "mixed"
    if "supports" in directions:
        return "supports"
    if "contradicts" in directions:
        return "contradicts"
    return "none"


@attrs.define
class Assessment:
    """A claim's evidence sorted into what can be graded, what is pending and what is out,
    with the domain judgments for any part of it (reviewer judgments winning).

    Judgments are worked out when first asked for, one domain at a time, and kept: a scheme
    that needs only one domain of each study (say, risk of bias) does not run the others.
    ``options`` are the user's grading options (the policy for risk of bias not recorded),
    which every body given to an assessor carries and a scheme reads here.
    """

    claim: Claim
    items: tuple[EvidenceItem, ...]
    pending: tuple[StudyNote, ...]
    excluded: tuple[StudyNote, ...]
    registry: Registry
    failures: list[PluginFailure] = attrs.field(factory=list)
    options: GradingOptions = attrs.field(default=DEFAULT_OPTIONS, kw_only=True)
    _cache: dict[tuple[str, ...], dict[str, Judgment | None]] = attrs.field(
        factory=dict, repr=False
    )

    _bodies: dict[tuple[str, ...], Body] = attrs.field(factory=dict, repr=False)

    def body(self, items: Iterable[EvidenceItem]) -> Body:
        return Body(self.claim, tuple(sorted(items, key=_item_id)), self.options)

    def _judged_body(self, items: Iterable[EvidenceItem]) -> Body:
        """The body judged for these study ids: judgments are kept by study ids, so the first
        body asked for with those ids is the one judged."""
        chosen = tuple(items)
        key = tuple(sorted([item.study.id for item in chosen]))
        body = self._bodies.get(key)
        if body is None:
            body = self._bodies[key] = self.body(chosen)
        return body

    def automatic(self, items: Iterable[EvidenceItem]) -> dict[str, Judgment]:
        """What the registered assessors judge of ``items``, one judgment per domain."""
        body = self.body(items)
        found = (
            self._assess(body, domain, assessors)
            for domain, assessors in sorted(self.registry.assessors.items())
        )
        return {judgment.domain: judgment for judgment in found if judgment is not None}

    def _assess(self, body: Body, domain: str, assessors: Sequence[Assessor]) -> Judgment | None:
        """The assessors' judgment of one domain (the weightiest, if several judge it)."""
        judgments = []
        for assessor in assessors:
            try:
                with guard(self.registry, "assessor", assessor.name):
                    judgment = assessor.assess(body)
                if not isinstance(judgment, Judgment) or judgment.domain != domain:
                    raise TypeError(f"returned {judgment!r}, expected a {domain} Judgment")
                if domain in DOMAINS:
                    DOMAINS[domain].change(judgment.rating)  # raises for unknown ratings
            except Exception as error:
                owner = self.registry.owner("assessor", assessor.name)
                self.failures.append(
                    self.registry.failure(owner, f"assessing {domain} ({assessor.name})", error)
                )
                continue
            judgments.append(judgment)
        if len(judgments) > 1:
            return max(judgments, key=_weight_of)
        return judgments[0] if judgments else None

    def judgment(self, items: Iterable[EvidenceItem], domain: str) -> Judgment | None:
        """The judgment used for one domain of ``items``: the reviewer's if the file has one,
        else the assessors' (None when neither judges it). Only that domain is assessed."""
        return self._judgment(self._judged_body(items), domain)

    def _judgment(self, body: Body, domain: str) -> Judgment | None:
        key = body.ids
        known = self._cache.setdefault(key, {})
        if domain in known:
            return known[domain]
        reviewer = self.claim.judgment(domain)
        assessors = self.registry.assessors.get(domain, ())
        automatic = self._assess(body, domain, assessors) if assessors else None
        if reviewer is None:
            result = automatic
        else:
            note = ""
            if automatic is not None:
                note = (
                    f" (reviewer judgment; the automatic rule {automatic.rule} gave "
                    f"{automatic.rating})"
                )
            result = Judgment(
                domain=reviewer.domain,
                rating=reviewer.rating,
                reason=f"{reviewer.reason or 'reviewer judgment'}{note}",
                studies=key,
                source="reviewer",
            )
        known[domain] = result
        return result

    def judgments(self, items: Iterable[EvidenceItem]) -> dict[str, Judgment]:
        """The judgment used for each domain: the reviewer's if the file has one, else the
        automatic one. Assessed domains come in alphabetical order, reviewer-only ones after."""
        body = self._judged_body(items)
        domains = sorted(self.registry.assessors)
        domains += [
            j.domain for j in self.claim.judgments if j.domain not in self.registry.assessors
        ]
        found = (self._judgment(body, domain) for domain in domains)
        return {judgment.domain: judgment for judgment in found if judgment is not None}


def _weight_of(judgment: Judgment) -> int:
    domain = DOMAINS.get(judgment.domain)
    return abs(domain.change(judgment.rating)) if domain else 0


def _item_id(item: EvidenceItem) -> str:
    return item.study.id


def _read(item: EvidenceItem, registry: Registry) -> EvidenceItem:
    """Grade a comparative design without a control group as what it is: a case series; and
    know what a synthesis's studies were."""
    pools = item.design.pools
    if pools is not None:
        item = attrs.evolve(item, included=registry.designs.get(item.study.of or pools))
    series = registry.designs.get("case-series")
    if item.design.family == "non-randomized" and item.study.control == "none" and series:
        reading = f"{item.design.label.lower()} without a comparison group, graded as a case series"
        return attrs.evolve(item, design=series, reading=reading)
    return item


def reading_notes(items: Iterable[EvidenceItem]) -> list[RationaleStep]:
    """Rationale notes for the studies graded as another design than the one they declare."""
    return [
        RationaleStep("note", f"{item.reading}", studies=(item.id,))
        for item in sorted(items, key=lambda i: i.id)
        if item.reading
    ]


def left_out_steps(assessment: Assessment, extra: Iterable[StudyNote] = ()) -> list[RationaleStep]:
    """Rationale notes for the studies a scheme did not count: pending, then excluded."""
    steps = []
    for note in assessment.pending:
        steps.append(RationaleStep("note", f"pending: {note.reason}", studies=(note.study,)))
    for note in sorted((*assessment.excluded, *extra), key=lambda n: n.study):
        steps.append(RationaleStep("note", f"not counted: {note.reason}", studies=(note.study,)))
    return steps


def _excluded(assessment: Assessment, left_out: Iterable[StudyNote]) -> tuple[StudyNote, ...]:
    return tuple(sorted((*assessment.excluded, *left_out), key=lambda n: n.study))


def finish_grade(
    assessment: Assessment,
    scheme: str,
    label: str,
    rank: int,
    steps: Iterable[RationaleStep],
    *,
    body: Iterable[EvidenceItem],
    counted: Iterable[EvidenceItem],
    left_out: Iterable[StudyNote] = (),
) -> Grade:
    """A scheme's grade of one claim, finished the way every scheme finishes it.

    ``steps`` are the scheme's own reasoning; after them come a note for each counted study
    read as another design than it declares (:func:`reading_notes`), then the pending studies
    and those left out (the assessment's excluded ones and ``left_out``, the studies this
    scheme could not count, with why). ``body`` is the evidence the label rests on (its
    direction is the grade's), ``counted`` every study the scheme counted.
    """
    counted = tuple(counted)
    left_out = tuple(left_out)
    rationale = (
        *steps,
        *reading_notes(counted),
        *left_out_steps(assessment, left_out),
    )
    return Grade(
        scheme,
        label,
        rank,
        direction_of(body),
        rationale,
        tuple(sorted(item.id for item in counted)),
        assessment.pending,
        _excluded(assessment, left_out),
    )


def no_evidence(
    scheme: str, assessment: Assessment, excluded: Iterable[StudyNote] = (), why: str = ""
) -> Grade:
    """The rank-0 grade: nothing this scheme can grade was cited (``excluded``: the studies
    cited that it cannot count, with why). A claim without evidence links is said to have no
    study linked to it in the file, not that nothing is cited: a source may cite what the file
    cannot identify."""
    left_out = _excluded(assessment, excluded)
    if not assessment.claim.evidence:
        reason = "no study is linked to this claim in the file"
    elif assessment.pending and not left_out and not assessment.items:
        reason = "only pending studies are cited: nothing has results yet"
    else:
        reason = why or "nothing cited is evidence this scheme can grade"
    extra = [n for n in left_out if n not in assessment.excluded]
    steps = (RationaleStep("start", reason), *left_out_steps(assessment, extra))
    return Grade(scheme, NO_EVIDENCE, 0, "none", steps, (), assessment.pending, left_out)


def assess(
    claim: Claim,
    evidence: EvidenceFile,
    registry: Registry,
    options: GradingOptions = DEFAULT_OPTIONS,
) -> Assessment:
    """Sort the claim's evidence into gradable items, pending and excluded studies, to be
    judged with ``options``."""
    studies = {study.id: study for study in evidence.studies}
    items: list[EvidenceItem] = []
    pending: list[StudyNote] = []
    excluded: list[StudyNote] = []
    for link in sorted(claim.evidence, key=lambda link: link.study):
        study = studies.get(link.study)
        if study is None:
            excluded.append(StudyNote(link.study, "not in the file's studies"))
            continue
        if not link.addresses_claim:
            excluded.append(StudyNote(study.id, "cited, but reports nothing on this claim"))
            continue
        design = registry.designs.get(study.design)
        status = study.effective_status
        if design is None:
            excluded.append(StudyNote(study.id, f"unknown design {study.design!r}"))
        elif not design.has_results:
            what = "published plan" if status == "completed" else status
            pending.append(StudyNote(study.id, f"{design.id}, {what}: no results yet"))
        elif status in ("ongoing", "planned"):
            pending.append(StudyNote(study.id, f"{status} study: no results yet"))
        elif status != "completed":
            excluded.append(StudyNote(study.id, f"{status}: not graded"))
        else:
            items.append(_read(EvidenceItem(link, study, design), registry))
    return Assessment(
        claim, tuple(items), tuple(pending), tuple(excluded), registry, options=options
    )


class SchemeTimeout(Exception):
    """A scheme took longer than its time limit for one claim."""


#: Time limits from this many seconds on (infinity included) set no timer: the platform's
#: timer cannot hold them, and a limit of over eleven days is none.
_NO_TIMER_BEYOND = 1e6


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread, where the platform has timers)."""
    usable = (
        seconds is not None
        and 0 < seconds < _NO_TIMER_BEYOND  # false for NaN; longer is no limit at all
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise SchemeTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def grade_claim(
    claim: Claim,
    evidence: EvidenceFile,
    schemes: Sequence[str] | None = None,
    *,
    registry: Registry,
    timeout: float | None = None,
    options: GradingOptions = DEFAULT_OPTIONS,
    timed_out: set[str] | None = None,
) -> ClaimResult:
    """Grade one claim under each named scheme (all registered schemes by default), with the
    grading ``options``.

    A scheme that raises, returns something other than a valid grade of its own labels, or
    takes longer than ``timeout`` seconds is left out of the grades and reported in the
    result's ``failures``; the other schemes still grade. A scheme that took too long is added
    to ``timed_out``, and a scheme named there is not run again (reported as skipped).
    """
    names = list(schemes) if schemes else list(registry.schemes)
    for name in names:
        registry.scheme(name)  # raises for an unknown scheme, naming the known ones
    assessment = assess(claim, evidence, registry, options)
    grades: dict[str, Grade] = {}
    for name in names:
        scheme = registry.schemes[name]
        if timed_out is not None and name in timed_out:
            owner = registry.owner("scheme", name)
            why = f"skipped: took longer than {timeout:g} s on an earlier claim"
            assessment.failures.append(registry.failure(owner, f"grading with {name!r}", why))
            continue
        try:
            with _time_limit(timeout), guard(registry, "scheme", name):
                grade = scheme.grade(assessment)
            _check_grade(grade, scheme)
        except Exception as error:
            if isinstance(error, SchemeTimeout) and timed_out is not None:
                timed_out.add(name)
            owner = registry.owner("scheme", name)
            assessment.failures.append(registry.failure(owner, f"grading with {name!r}", error))
            continue
        grades[name] = grade
    return ClaimResult(claim, grades, tuple(assessment.failures))


def _check_grade(grade: object, scheme: Scheme) -> None:
    if not isinstance(grade, Grade):
        raise TypeError(f"returned {type(grade).__name__}, expected a Grade")
    if grade.label not in scheme.labels:
        raise ValueError(f"returned unknown label {grade.label!r}; declared: {scheme.labels}")
    if scheme.labels.index(grade.label) != grade.rank:
        raise ValueError(
            f"label {grade.label!r} has rank {scheme.labels.index(grade.label)}, not {grade.rank}"
        )


@attrs.frozen
class ClaimResult:
    """One claim, its grade under each scheme, and the plugins that failed while grading it."""

    claim: Claim
    grades: Mapping[str, Grade] = attrs.field(hash=False)
    failures: tuple[PluginFailure, ...] = ()


@attrs.frozen
class Report:
    """The grades of every claim of one evidence file."""

    file: str | None
    evidence: EvidenceFile
    schemes: tuple[str, ...]
    results: tuple[ClaimResult, ...]
    failures: tuple[PluginFailure, ...] = ()
    #: The grading options the claims were graded with.
    options: GradingOptions = attrs.field(default=DEFAULT_OPTIONS, kw_only=True)


def grade_file(
    evidence: EvidenceFile,
    schemes: Sequence[str] | None = None,
    *,
    registry: Registry,
    timeout: float | None = None,
    file: str | None = None,
    options: GradingOptions = DEFAULT_OPTIONS,
    timed_out: set[str] | None = None,
) -> Report:
    """Grade every claim of a loaded evidence file (``file``: the name the report gives it)
    with the grading ``options``.

    ``timeout`` limits the seconds one scheme may take for one claim (see :func:`grade_claim`):
    a scheme that takes longer is left out of the file's later claims (and of later files that
    are given the same ``timed_out`` set); the report's ``failures`` are those of every claim,
    each once.
    """
    names = tuple(schemes) if schemes else tuple(registry.schemes)
    skipped: set[str] = set() if timed_out is None else timed_out
    results = tuple(
        grade_claim(
            claim,
            evidence,
            names,
            registry=registry,
            timeout=timeout,
            options=options,
            timed_out=skipped,
        )
        for claim in evidence.claims
    )
    unique = tuple(dict.fromkeys(f for result in results for f in result.failures))
    return Report(file, evidence, names, results, unique, options=options)
