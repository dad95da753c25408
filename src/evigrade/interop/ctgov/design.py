"""The API's enumerations (ctg-oas-v2.yaml) and what the protocol section maps to: the design,
status, blinding, control, funding and duration of a study, and its arms (docs/import-ctgov.md);
with the extension key and study address the importer writes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from .fields import at, get_enum, get_object, get_objects, get_string, get_strings

__all__ = [
    "AGENCY_CLASSES",
    "ALLOCATIONS",
    "BLINDING",
    "CONTROL",
    "EXTENSION",
    "MASKINGS",
    "MODELS",
    "OBSERVATIONAL_MODELS",
    "OUTCOME_TYPES",
    "PERSPECTIVES",
    "PHASES",
    "PILOT",
    "STATUS",
    "STUDY_TYPES",
    "STUDY_URL",
    "Arm",
    "Blinding",
    "Control",
    "StudyStatus",
    "arms_of",
    "clustered",
    "control_of",
    "design_of",
    "duration_of",
    "funding_of",
]


EXTENSION = "x-ctgov"
STUDY_URL = "https://clinicaltrials.gov/study/"


# -- the API's enumerations (ctg-oas-v2.yaml) ---------------------------------------------------

STUDY_TYPES = ("INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS")
PHASES = ("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4")
ALLOCATIONS = ("RANDOMIZED", "NON_RANDOMIZED", "NA")
MODELS = ("SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL")
OBSERVATIONAL_MODELS = (
    "COHORT",
    "CASE_CONTROL",
    "CASE_ONLY",
    "CASE_CROSSOVER",
    "ECOLOGIC_OR_COMMUNITY",
    "FAMILY_BASED",
    "DEFINED_POPULATION",
    "NATURAL_HISTORY",
    "OTHER",
)
PERSPECTIVES = ("RETROSPECTIVE", "PROSPECTIVE", "CROSS_SECTIONAL", "OTHER")
_ARM_TYPES = (
    "EXPERIMENTAL",
    "ACTIVE_COMPARATOR",
    "PLACEBO_COMPARATOR",
    "SHAM_COMPARATOR",
    "NO_INTERVENTION",
    "OTHER",
)
AGENCY_CLASSES = (
    "NIH",
    "FED",
    "OTHER_GOV",
    "INDIV",
    "INDUSTRY",
    "NETWORK",
    "AMBIG",
    "OTHER",
    "UNKNOWN",
)
OUTCOME_TYPES = ("PRIMARY", "SECONDARY", "OTHER_PRE_SPECIFIED", "POST_HOC")

StudyStatus = Literal["completed", "ongoing", "planned", "terminated"]

#: overallStatus -> status (docs/import-ctgov.md#status). UNKNOWN is read through
#: lastKnownStatus; the expanded-access statuses are for EXPANDED_ACCESS records.
STATUS: Mapping[str, StudyStatus] = {
    "COMPLETED": "completed",
    "NOT_YET_RECRUITING": "planned",
    "RECRUITING": "ongoing",
    "ENROLLING_BY_INVITATION": "ongoing",
    "ACTIVE_NOT_RECRUITING": "ongoing",
    "SUSPENDED": "terminated",
    "TERMINATED": "terminated",
    "WITHDRAWN": "terminated",
    "AVAILABLE": "ongoing",
    "TEMPORARILY_NOT_AVAILABLE": "ongoing",
    "NO_LONGER_AVAILABLE": "completed",
    "APPROVED_FOR_MARKETING": "completed",
    "WITHHELD": "ongoing",
    "UNKNOWN": "ongoing",
}

Blinding = Literal["none", "single", "double", "triple"]

#: maskingInfo.masking -> blinding; the format has no "quadruple", so it counts as triple.
BLINDING: Mapping[str, Blinding] = {
    "NONE": "none",
    "SINGLE": "single",
    "DOUBLE": "double",
    "TRIPLE": "triple",
    "QUADRUPLE": "triple",
}
MASKINGS = tuple(BLINDING)

Control = Literal["placebo", "active", "usual-care"]

#: Arm group type -> control, strongest comparison first (the first one present wins).
CONTROL: tuple[tuple[str, Control], ...] = (
    ("PLACEBO_COMPARATOR", "placebo"),
    ("SHAM_COMPARATOR", "placebo"),
    ("ACTIVE_COMPARATOR", "active"),
    ("NO_INTERVENTION", "usual-care"),
)

_PUBLIC = frozenset({"NIH", "FED", "OTHER_GOV"})

_CLUSTER = re.compile(
    r"\bcluster(?:ed)?[\s-]*(?:randomi[sz]|rct\b|trial\b|controlled\b)"
    r"|\brandomi[sz](?:ed|ation)\s+(?:by|at the level of)\s+(?:the\s+)?"
    r"(?:cluster|clinic|practice|school|village|ward|community|communities|site|hospital)",
    re.IGNORECASE,
)
PILOT = re.compile(r"\b(?:pilot|feasibility)\b", re.IGNORECASE)


def design_of(
    study_type: str,
    allocation: str | None,
    model: str | None,
    observational: str | None,
    perspective: str | None,
    registry_flag: bool | None,
) -> str:
    """The design id for the study type and design info (docs/import-ctgov.md#design)."""
    if study_type == "EXPANDED_ACCESS":
        return "case-series"  # uncontrolled treatment of patients outside a trial
    if study_type == "INTERVENTIONAL":
        if allocation == "RANDOMIZED":
            return "crossover-rct" if model == "CROSSOVER" else "rct"
        if model == "SINGLE_GROUP":
            return "single-arm-trial"
        if allocation == "NON_RANDOMIZED":
            return "non-randomized-trial"
        # NA (or no) allocation with more than one group: assigned, not randomized.
        return "non-randomized-trial" if model is not None else "single-arm-trial"
    # OBSERVATIONAL
    if observational in ("CASE_CONTROL", "CASE_CROSSOVER"):
        return "case-control"
    if observational == "CASE_ONLY":
        return "case-series"
    if observational == "ECOLOGIC_OR_COMMUNITY":
        return "ecological"
    if perspective == "CROSS_SECTIONAL":
        return "cross-sectional"
    if perspective == "PROSPECTIVE":
        return "prospective-cohort"
    if perspective == "RETROSPECTIVE":
        return "retrospective-cohort"
    if observational in ("COHORT", "NATURAL_HISTORY", "DEFINED_POPULATION") or registry_flag:
        return "retrospective-cohort"  # a cohort whose time perspective is OTHER or not given
    return "cross-sectional"  # FAMILY_BASED, OTHER or no model, with no time perspective


def clustered(design: str, cues: str) -> str:
    if design == "rct" and _CLUSTER.search(cues):
        return "cluster-rct"
    return design


@attrs.frozen
class Arm:
    label: str
    type: str | None
    description: str | None
    interventions: tuple[str, ...]

    @property
    def role(self) -> str | None:
        if self.type == "EXPERIMENTAL":
            return "experimental"
        if self.type in ("ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR"):
            return "comparator"
        if self.type == "NO_INTERVENTION":
            return "comparator"
        return None

    @property
    def treatment(self) -> str:
        """What the arm received: its interventions without the type prefix, or its label."""
        if self.interventions:
            names = [re.sub(r"^[A-Za-z ]+:\s*", "", name) for name in self.interventions]
            return " + ".join(dict.fromkeys(names))
        if self.type == "NO_INTERVENTION":
            return "no intervention"
        return self.label


def arms_of(protocol: Mapping[str, Any], where: str) -> list[Arm]:
    module = get_object(protocol, "armsInterventionsModule", where)
    m_where = at(where, "armsInterventionsModule")
    arms = []
    for pointer, item in get_objects(module, "armGroups", m_where):
        arms.append(
            Arm(
                get_string(item, "label", pointer) or "",
                get_enum(item, "type", pointer, _ARM_TYPES),
                get_string(item, "description", pointer),
                tuple(get_strings(item, "interventionNames", pointer)),
            )
        )
    return arms


def control_of(design: str, arms: Sequence[Arm]) -> Control | Literal["none"] | None:
    if design in ("single-arm-trial", "case-series"):
        return "none"
    types = {arm.type for arm in arms}
    return next((control for kind, control in CONTROL if kind in types), None)


def funding_of(
    lead: str | None, collaborators: Sequence[str | None]
) -> Literal["industry", "public", "mixed", "unknown"] | None:
    if lead is None:
        return None
    industry = "INDUSTRY" in collaborators
    public = any(c in _PUBLIC for c in collaborators)
    if lead == "INDUSTRY":
        return "mixed" if public else "industry"
    if lead in _PUBLIC:
        return "mixed" if industry else "public"
    if industry:
        return "mixed"
    return "public" if public else "unknown"


_UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D"}


def duration_of(protocol: Mapping[str, Any], where: str) -> str | None:
    """ISO 8601 duration of the first primary outcome's time frame, when it is a plain
    "N years/months/weeks/days"; otherwise none."""
    module = get_object(protocol, "outcomesModule", where)
    primary = get_objects(module, "primaryOutcomes", at(where, "outcomesModule"))
    if not primary:
        return None
    pointer, outcome = primary[0]
    frame = get_string(outcome, "timeFrame", pointer) or ""
    match = re.fullmatch(r"(\d{1,4})\s+(year|month|week|day)s?", frame.strip(), re.IGNORECASE)
    if match is None or int(match.group(1)) == 0:
        return None
    return f"P{int(match.group(1))}{_UNITS[match.group(2).lower()]}"
