"""The ``ctgov`` importer: ClinicalTrials.gov API v2 study JSON.

A file holds one study (``{"protocolSection": ...}``), a list of studies, or a page of them as
the API returns it (``{"studies": [...], "nextPageToken": ...}``). Each study becomes one
:class:`~evigrade.model.Study`; where results are posted, each outcome measure with a usable
between-group analysis (an estimate on a known scale) becomes a claim named after the outcome,
with the study's effect as its evidence. The mapping, field by field, is in
docs/import-ctgov.md; the choices made there are marked in the code where they are made.

A study that cannot be read (a required part missing, a value of the wrong type or outside the
API's enumerations) is an :class:`~evigrade.interop.ImportRecord` carrying a
:class:`~evigrade.validation.Problem` with the JSON Pointer of the offending value and its line
and column; malformed JSON is one such problem for the whole file.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from ..files import from_data, to_data
from ..jsonpos import SourceMap, depth_exceeded_at, escape_pointer, line_column, pointer_at
from ..jsonpos import source_map as _source_map
from ..kinds import Designs, ImportRecord, Registry
from ..model import Claim, Direction, Effect, Events, EvidenceFile, EvidenceLink, Study
from ..validation import MAX_DEPTH, EvidenceError, Problem, read_text

__all__ = ["read", "read_text_records"]

EXTENSION = "x-ctgov"
STUDY_URL = "https://clinicaltrials.gov/study/"

# -- the API's enumerations (ctg-oas-v2.yaml) ---------------------------------------------------

_STUDY_TYPES = ("INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS")
_PHASES = ("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4")
_ALLOCATIONS = ("RANDOMIZED", "NON_RANDOMIZED", "NA")
_MODELS = ("SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL")
_OBSERVATIONAL_MODELS = (
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
_PERSPECTIVES = ("RETROSPECTIVE", "PROSPECTIVE", "CROSS_SECTIONAL", "OTHER")
_ARM_TYPES = (
    "EXPERIMENTAL",
    "ACTIVE_COMPARATOR",
    "PLACEBO_COMPARATOR",
    "SHAM_COMPARATOR",
    "NO_INTERVENTION",
    "OTHER",
)
_AGENCY_CLASSES = (
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
_OUTCOME_TYPES = ("PRIMARY", "SECONDARY", "OTHER_PRE_SPECIFIED", "POST_HOC")

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
_MASKINGS = tuple(BLINDING)

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
_PILOT = re.compile(r"\b(?:pilot|feasibility)\b", re.IGNORECASE)


class _Bad(Exception):
    """A study that cannot be imported: what is wrong and where (a JSON Pointer)."""

    def __init__(self, message: str, pointer: str, keyword: str) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.keyword = keyword


# -- typed access with pointers -----------------------------------------------------------------

_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    names: dict[type, str] = {dict: "object", list: "array", str: "string"}
    return names.get(type(value), type(value).__name__)


def _at(where: str, key: str | int) -> str:
    return f"{where}/{escape_pointer(str(key))}"


def _check(value: Any, expected: str, pointer: str) -> Any:
    found = _json_type(value)
    if found != expected:
        raise _Bad(f"expected {expected}, found {found}", pointer, "type")
    return value


def _get(obj: Mapping[str, Any], key: str, where: str, expected: str, need: str = "") -> Any:
    """``obj[key]`` checked to be of the JSON type ``expected``; ``None`` if absent (or null),
    unless ``need`` says what the missing value should have been (then it is a problem)."""
    value = obj.get(key)
    if value is None:
        if need:
            raise _Bad(f"missing required key {key!r}: expected {need}", where, "required")
        return None
    return _check(value, expected, _at(where, key))


def _obj(obj: Mapping[str, Any], key: str, where: str, need: str = "") -> dict[str, Any]:
    value: dict[str, Any] | None = _get(obj, key, where, "object", need)
    return value if value is not None else {}


def _str(obj: Mapping[str, Any], key: str, where: str, need: str = "") -> str | None:
    value: str | None = _get(obj, key, where, "string", need)
    if value is not None and not value.strip():
        if need:
            raise _Bad(f"empty {key!r}: expected {need}", _at(where, key), "required")
        return None
    return value.strip() if value is not None else None


def _enum(
    obj: Mapping[str, Any], key: str, where: str, allowed: Sequence[str], need: str = ""
) -> str | None:
    value = _str(obj, key, where, need)
    return _member(value, key, _at(where, key), allowed) if value is not None else None


def _member(value: str, name: str, pointer: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise _Bad(
            f"unknown {name} {value!r}: expected one of {', '.join(allowed)}", pointer, "enum"
        )
    return value


def _objects(obj: Mapping[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
    """The objects of the array ``obj[key]``, each with its pointer."""
    items: list[Any] = _get(obj, key, where, "array") or []
    pointer = _at(where, key)
    return [
        (_at(pointer, i), _check(item, "object", _at(pointer, i))) for i, item in enumerate(items)
    ]


def _strings(obj: Mapping[str, Any], key: str, where: str) -> list[str]:
    items: list[Any] = _get(obj, key, where, "array") or []
    pointer = _at(where, key)
    values = [_check(item, "string", _at(pointer, i)) for i, item in enumerate(items)]
    return [value.strip() for value in values if value.strip()]


# -- reading files ------------------------------------------------------------------------------


def read(path: str, registry: Registry) -> Iterator[ImportRecord]:
    """The records of one ClinicalTrials.gov JSON file (raises if it cannot be read at all)."""
    yield from read_text_records(read_text(path), path, designs=registry.designs)


def read_text_records(
    text: str, name: str | None = None, *, designs: Designs
) -> Iterator[ImportRecord]:
    """The records of ClinicalTrials.gov JSON text: one per study, or one problem."""
    data, problem = _parse(text, name)
    if problem is not None:
        yield ImportRecord(problem=problem)
        return
    positions: list[SourceMap] = []

    def located(bad: _Bad) -> Problem:
        if not positions:
            positions.append(_source_map(text))
        where = positions[0].position(bad.pointer)
        line, column = where if where is not None else (None, None)
        return Problem(
            bad.message,
            pointer=bad.pointer,
            file=name,
            line=line,
            column=column,
            kind="schema",
            keyword=bad.keyword,
        )

    try:
        records = _records(data)
    except _Bad as bad:
        yield ImportRecord(problem=located(bad))
        return
    for pointer, record in records:
        try:
            study, claims = convert(record, pointer)
            _validate(study, claims, pointer, designs)
        except _Bad as bad:
            yield ImportRecord(problem=located(bad))
            continue
        yield ImportRecord(study=study, claims=claims)


def _parse(text: str, name: str | None) -> tuple[Any, Problem | None]:
    def problem(message: str, offset: int, keyword: str = "json") -> Problem:
        line, column = line_column(text, offset)
        return Problem(
            message,
            pointer=pointer_at(text, offset),
            file=name,
            line=line,
            column=column,
            kind="syntax",
            keyword=keyword,
        )

    if not text.strip():
        return None, problem("empty file: expected ClinicalTrials.gov study JSON", 0)
    deep = depth_exceeded_at(text, MAX_DEPTH)
    if deep is not None:
        message = f"nesting too deep: expected at most {MAX_DEPTH} levels of arrays and objects"
        return None, problem(message, deep, "depth")

    def constant(word: str) -> Any:
        raise ValueError(f"{word} is not valid JSON: expected a finite number")

    try:
        return json.loads(text, parse_constant=constant), None
    except json.JSONDecodeError as error:
        return None, problem(f"invalid JSON: {error.msg}", error.pos)
    except (ValueError, RecursionError) as error:
        return None, Problem(f"invalid JSON: {error}", file=name, kind="syntax", keyword="json")


def _records(data: Any) -> list[tuple[str, Any]]:
    """(pointer, study) for each study of a single study, a list, or an API page."""
    if isinstance(data, list):
        return [(f"/{i}", item) for i, item in enumerate(data)]
    if isinstance(data, dict):
        if "protocolSection" in data:
            return [("", data)]
        if "studies" in data:
            studies = _check(data["studies"], "array", "/studies")
            return [(f"/studies/{i}", item) for i, item in enumerate(studies)]
    raise _Bad(
        f"expected a ClinicalTrials.gov study (an object with 'protocolSection'), a list of "
        f'studies, or a page {{"studies": [...]}}, found {_json_type(data)}'
        + (" without 'protocolSection' or 'studies'" if isinstance(data, dict) else ""),
        "",
        "type",
    )


def _validate(study: Study, claims: tuple[Claim, ...], pointer: str, designs: Designs) -> None:
    """Make sure the record makes a valid evidence file on its own, so one odd study can
    never spoil a whole import at the final validation."""
    try:
        evidence = EvidenceFile(studies=(study,), claims=claims)
        from_data(to_data(evidence, designs=designs), designs=designs)
    except EvidenceError as error:
        first = error.problems[0]
        raise _Bad(
            f"the study does not make a valid evidence record: {first.pointer}: {first.message}",
            pointer,
            first.keyword or "invalid",
        ) from None


# -- one study ----------------------------------------------------------------------------------


def slug(text: str, limit: int = 60) -> str:
    """A lower-case slug of ``text`` (ASCII letters and digits joined by hyphens), cut at a
    word boundary to at most ``limit`` characters; ``"outcome"`` if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > limit:
            break
        result = candidate
    return result or (words[0][:limit] if words else "outcome")


def convert(record: Any, where: str = "") -> tuple[Study, tuple[Claim, ...]]:
    """One API v2 study -> (study, claims). Raises ``_Bad`` for a study it cannot read."""
    record = _check(record, "object", where)
    protocol = _obj(record, "protocolSection", where, "the study's protocol section")
    p_where = _at(where, "protocolSection")
    ident = _obj(protocol, "identificationModule", p_where, "the identification module")
    i_where = _at(p_where, "identificationModule")
    nct = _str(ident, "nctId", i_where, "the study's NCT number (NCT + 8 digits)")
    assert nct is not None
    if not re.fullmatch(r"NCT[0-9]{8}", nct):
        raise _Bad(
            f"nctId {nct!r} is not an NCT number: expected NCT + 8 digits",
            _at(i_where, "nctId"),
            "pattern",
        )
    status_module = _obj(protocol, "statusModule", p_where, "the status module")
    s_where = _at(p_where, "statusModule")
    overall = _enum(status_module, "overallStatus", s_where, tuple(STATUS), "the overall status")
    assert overall is not None
    last_known = _enum(status_module, "lastKnownStatus", s_where, tuple(STATUS))
    design_module = _obj(protocol, "designModule", p_where, "the design module")
    d_where = _at(p_where, "designModule")
    study_type = _enum(design_module, "studyType", d_where, _STUDY_TYPES, "the study type")
    assert study_type is not None
    phase_list: list[Any] = _get(design_module, "phases", d_where, "array") or []
    phases = [
        _member(_check(phase, "string", pointer).strip(), "phase", pointer, _PHASES)
        for i, phase in enumerate(phase_list)
        for pointer in (_at(_at(d_where, "phases"), i),)
    ]
    info = _obj(design_module, "designInfo", d_where)
    f_where = _at(d_where, "designInfo")
    allocation = _enum(info, "allocation", f_where, _ALLOCATIONS)
    model = _enum(info, "interventionModel", f_where, _MODELS)
    model_text = _str(info, "interventionModelDescription", f_where)
    observational = _enum(info, "observationalModel", f_where, _OBSERVATIONAL_MODELS)
    perspective = _enum(info, "timePerspective", f_where, _PERSPECTIVES)
    purpose = _str(info, "primaryPurpose", f_where)
    masking_info = _obj(info, "maskingInfo", f_where)
    masking = _enum(masking_info, "masking", _at(f_where, "maskingInfo"), _MASKINGS)
    who_masked = _strings(masking_info, "whoMasked", _at(f_where, "maskingInfo"))
    registry_flag = _get(design_module, "patientRegistry", d_where, "boolean")
    enrollment = _obj(design_module, "enrollmentInfo", d_where)
    e_where = _at(d_where, "enrollmentInfo")
    count: int | None = _get(enrollment, "count", e_where, "integer")
    if count is not None and count < 0:
        raise _Bad(f"expected a count >= 0, found {count}", _at(e_where, "count"), "minimum")
    enrollment_type = _str(enrollment, "type", e_where)

    brief_title = _str(ident, "briefTitle", i_where)
    official_title = _str(ident, "officialTitle", i_where)
    acronym = _str(ident, "acronym", i_where)
    conditions_module = _obj(protocol, "conditionsModule", p_where)
    c_where = _at(p_where, "conditionsModule")
    conditions = _strings(conditions_module, "conditions", c_where)
    keywords = _strings(conditions_module, "keywords", c_where)
    arms = _arms(protocol, p_where)

    cues = " ".join(filter(None, (official_title, brief_title, model_text, *keywords)))
    design = _design(study_type, allocation, model, observational, perspective, registry_flag)
    design = _clustered(design, cues)
    if design == "non-randomized-trial" and len(arms) == 1:
        design = "single-arm-trial"  # one group: nothing to compare with
    sponsor = _obj(protocol, "sponsorCollaboratorsModule", p_where)
    sp_where = _at(p_where, "sponsorCollaboratorsModule")
    lead = _obj(sponsor, "leadSponsor", sp_where)
    lead_class = _enum(lead, "class", _at(sp_where, "leadSponsor"), _AGENCY_CLASSES)
    collaborators = [
        _enum(item, "class", pointer, _AGENCY_CLASSES)
        for pointer, item in _objects(sponsor, "collaborators", sp_where)
    ]
    status = STATUS[overall]
    if overall == "UNKNOWN" and last_known is not None and last_known != "UNKNOWN":
        status = STATUS[last_known]
    from_results = (
        status == "ongoing" and study_type != "EXPANDED_ACCESS" and _posted(record, where)
    )
    if from_results:
        status = "completed"  # recruitment or follow-up goes on, but the results are posted

    extension: dict[str, Any] = {
        "studyType": study_type,
        "phases": phases,
        "allocation": allocation,
        "interventionModel": model,
        "observationalModel": observational,
        "timePerspective": perspective,
        "primaryPurpose": purpose,
        "masking": masking,
        "whoMasked": who_masked or None,
        "enrollmentType": enrollment_type,
        "overallStatus": overall,
        "lastKnownStatus": last_known,
        "whyStopped": _str(status_module, "whyStopped", s_where),
        "leadSponsor": {
            "name": _str(lead, "name", _at(sp_where, "leadSponsor")),
            "class": lead_class,
        }
        if lead
        else None,
        "collaboratorClasses": sorted({c for c in collaborators if c}) or None,
        "acronym": acronym,
        "briefTitle": brief_title if official_title else None,
        "hasResults": _get(record, "hasResults", where, "boolean"),
        "statusFromResults": True if from_results else None,
    }
    study = Study(
        id=nct.lower(),
        design=design,
        n=count if count is not None and count >= 1 else None,
        title=official_title or brief_title,
        nct=nct,
        url=STUDY_URL + nct,
        population="; ".join(conditions) or None,
        pilot=True if purpose == "DEVICE_FEASIBILITY" or _PILOT.search(cues) else None,
        randomized=allocation == "RANDOMIZED" if study_type == "INTERVENTIONAL" else False,
        blinding=BLINDING[masking] if masking is not None else None,
        control=_control(design, arms),
        duration=_duration(protocol, p_where),
        status=status,
        funding=_funding(lead_class, collaborators),
        extensions={EXTENSION: {k: v for k, v in extension.items() if v is not None}},
    )
    claims = _claims(record, where, study, arms, conditions)
    return study, claims


def _posted(record: Mapping[str, Any], where: str) -> bool:
    """Whether the study has posted results: an outcome measure with data or an analysis."""
    results = _obj(record, "resultsSection", where)
    r_where = _at(where, "resultsSection")
    module = _obj(results, "outcomeMeasuresModule", r_where)
    m_where = _at(r_where, "outcomeMeasuresModule")
    return any(
        _str(outcome, "reportingStatus", pointer) != "NOT_POSTED"
        and bool(outcome.get("classes") or outcome.get("analyses"))
        for pointer, outcome in _objects(module, "outcomeMeasures", m_where)
    )


def _design(
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


def _clustered(design: str, cues: str) -> str:
    if design == "rct" and _CLUSTER.search(cues):
        return "cluster-rct"
    return design


@attrs.frozen
class _Arm:
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


def _arms(protocol: Mapping[str, Any], where: str) -> list[_Arm]:
    module = _obj(protocol, "armsInterventionsModule", where)
    m_where = _at(where, "armsInterventionsModule")
    arms = []
    for pointer, item in _objects(module, "armGroups", m_where):
        arms.append(
            _Arm(
                _str(item, "label", pointer) or "",
                _enum(item, "type", pointer, _ARM_TYPES),
                _str(item, "description", pointer),
                tuple(_strings(item, "interventionNames", pointer)),
            )
        )
    return arms


def _control(design: str, arms: Sequence[_Arm]) -> Control | Literal["none"] | None:
    if design in ("single-arm-trial", "case-series"):
        return "none"
    types = {arm.type for arm in arms}
    return next((control for kind, control in CONTROL if kind in types), None)


def _funding(
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


def _duration(protocol: Mapping[str, Any], where: str) -> str | None:
    """ISO 8601 duration of the first primary outcome's time frame, when it is a plain
    "N years/months/weeks/days"; otherwise none."""
    module = _obj(protocol, "outcomesModule", where)
    primary = _objects(module, "primaryOutcomes", _at(where, "outcomesModule"))
    if not primary:
        return None
    pointer, outcome = primary[0]
    frame = _str(outcome, "timeFrame", pointer) or ""
    match = re.fullmatch(r"(\d{1,4})\s+(year|month|week|day)s?", frame.strip(), re.IGNORECASE)
    if match is None or int(match.group(1)) == 0:
        return None
    return f"P{int(match.group(1))}{_UNITS[match.group(2).lower()]}"


# -- results: outcome analyses -> claims ------------------------------------------------------

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

Measure = Literal["RR", "OR", "HR", "RD", "MD", "SMD"]


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.strip().replace(",", "")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def measure_of(param_type: str) -> tuple[Measure | None, bool]:
    """(measure, on the log scale) for an analysis's paramType; ``None`` when evigrade has no
    measure for it (medians, slopes, "Other" ...)."""
    text = param_type.lower()
    log = bool(re.search(r"\blog\b", text))
    measure: Measure | None = None
    if "hazard ratio" in text or "cox proportional hazard" in text:
        measure = "HR"
    elif "odds ratio" in text:
        measure = "OR"
    elif "risk ratio" in text or "relative risk" in text:
        measure = "RR"
    elif "risk difference" in text:
        measure = "RD"
    elif re.search(r"standardi[sz]ed mean difference", text):
        measure = "SMD"
    elif "mean difference" in text and "median" not in text:
        measure = "MD"
    if log and measure not in ("HR", "OR", "RR"):
        return None, True
    return measure, log


_GOOD_EVENT = re.compile(
    r"\btime to (?:first |a |an )?(?:\w+ ){0,2}?(?:response|remission|recovery|healing|resolution|"
    r"improvement|engraftment|discharge|cure|clearance|conversion|negativity|normali[sz]ation|"
    r"mobili[sz]ation|ambulation|extubation|weaning|pregnancy|conception)",
    re.IGNORECASE,
)
_GOOD = re.compile(
    r"\b(?:respon\w*|remission|recover\w*|cure[ds]?|heal\w*|success\w*|improve\w*|"
    r"abstinen\w*|survival|surviv\w*|alive|engraftment|eradication|clearance|seroconversion|"
    r"seroprotection|quality of life|qol|adherence|pregnan\w*|live births?|resolution)\b",
    re.IGNORECASE,
)
_BAD = re.compile(
    r"\b(?:deaths?|died|mortality|adverse|side effects?|toxicit\w*|recurrence\w*|relapse\w*|"
    r"progression|failure\w*|infections?|complications?|hospitali[sz]\w*|readmission\w*|pain|"
    r"events?|incidence|exacerbations?|fractures?|strokes?|infarction|bleeding|ha?emorrhage|"
    r"symptoms?|severity|nausea|vomiting|discontinu\w*|rejection|withdrawal)\b",
    re.IGNORECASE,
)


def lower_is_better(measure: Measure, title: str) -> bool | None:
    """Whether a lower value of the first group's outcome favours it: ``None`` when the
    outcome's title does not say (docs/import-ctgov.md#direction)."""
    if measure == "HR":
        # The hazard is that of the outcome's event, almost always a harm (death, relapse,
        # progression); "time to response" and the like count a good event.
        return not _GOOD_EVENT.search(title)
    text = re.sub(r"\b[\w-]+[- ]free\b", " ", title)  # "event-free survival" is good
    good, bad = bool(_GOOD.search(text)), bool(_BAD.search(text))
    if good == bad:
        return None
    return bad


@attrs.frozen
class _Group:
    id: str
    title: str
    description: str | None
    arm: _Arm | None


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def _match_arm(title: str, description: str | None, arms: Sequence[_Arm]) -> _Arm | None:
    if description:
        same = [
            arm for arm in arms if arm.description and _norm(arm.description) == _norm(description)
        ]
        if len(same) == 1:
            return same[0]
    same = [arm for arm in arms if arm.label and _norm(arm.label) == _norm(title)]
    if len(same) == 1:
        return same[0]
    inside = [
        arm
        for arm in arms
        if arm.label and re.search(rf"(?<![\w]){re.escape(_norm(arm.label))}(?![\w])", _norm(title))
    ]
    return inside[0] if len(inside) == 1 else None


def _orient(first: _Group, second: _Group) -> bool | None:
    """True if the first group is the experimental one, False if the second is, None if the
    arms do not say."""
    roles = (first.arm.role if first.arm else None, second.arm.role if second.arm else None)
    if roles.count("experimental") == 1:
        return roles[0] == "experimental"
    if roles.count("comparator") == 1 and roles.count("experimental") == 0:
        return roles[1] == "comparator"
    return None


@attrs.frozen
class _Analysis:
    effect: Effect
    groups: tuple[_Group, _Group]
    first_experimental: bool | None
    significant: bool | None
    raw: dict[str, Any]


def _analysis(
    item: Mapping[str, Any], pointer: str, groups: Mapping[str, _Group]
) -> _Analysis | None:
    ids = _strings(item, "groupIds", pointer)
    if len(ids) != 2 or ids[0] == ids[1] or any(i not in groups for i in ids):
        return None
    param_type = _str(item, "paramType", pointer)
    if param_type is None:
        return None
    measure, log = measure_of(param_type)
    estimate = _number(_str(item, "paramValue", pointer))
    if measure is None or estimate is None:
        return None
    low = _number(_str(item, "ciLowerLimit", pointer))
    high = _number(_str(item, "ciUpperLimit", pointer))
    pct = _number(_str(item, "ciPctValue", pointer))
    sides = _str(item, "ciNumSides", pointer)
    p_text = _str(item, "pValue", pointer)
    p = _number(p_text)
    if log:
        estimate = math.exp(estimate)
        low = math.exp(low) if low is not None else None
        high = math.exp(high) if high is not None else None
    raw: dict[str, Any] = {
        "paramType": param_type,
        "statisticalMethod": _str(item, "statisticalMethod", pointer),
        "nonInferiorityType": _str(item, "nonInferiorityType", pointer),
        "pValue": p_text,
        "groups": ids,
    }
    if measure in ("HR", "OR", "RR") and estimate <= 0:
        return None
    ci_ok = (
        low is not None
        and high is not None
        and pct == 95
        and sides in (None, "TWO_SIDED")
        and low <= estimate <= high
        and (measure not in ("HR", "OR", "RR") or low > 0)
    )
    if not ci_ok and (low is not None or high is not None):
        raw["ci"] = {
            "pct": _str(item, "ciPctValue", pointer),
            "sides": sides,
            "low": _str(item, "ciLowerLimit", pointer),
            "high": _str(item, "ciUpperLimit", pointer),
        }
    effect = Effect(
        measure,
        estimate,
        low if ci_ok else None,
        high if ci_ok else None,
        p if p is not None and 0 <= p <= 1 else None,
    )
    null = effect.null_value
    significant: bool | None
    if effect.ci_low is not None and effect.ci_high is not None:
        significant = not (effect.ci_low <= null <= effect.ci_high)
    elif effect.p is not None:
        significant = effect.p < 0.05
    elif p_text is not None and (bound := re.fullmatch(r"\s*[<≤]=?\s*(\S+)", p_text)):
        limit = _number(bound.group(1))
        significant = True if limit is not None and limit <= 0.05 else None
    else:
        significant = None
    first, second = groups[ids[0]], groups[ids[1]]
    return _Analysis(
        effect,
        (first, second),
        _orient(first, second),
        significant,
        {k: v for k, v in raw.items() if v is not None},
    )


def _direction(analysis: _Analysis, title: str) -> tuple[Direction, str | None]:
    """The link's direction, and a note when the data could not settle it."""
    effect = analysis.effect
    if analysis.significant is None:
        return "inconclusive", "no 95% CI or p value to judge the effect by"
    if not analysis.significant:
        return "inconclusive", None
    lower = lower_is_better(effect.measure, title)
    if lower is None:
        return "inconclusive", (
            "the effect excludes no effect, but the outcome's title does not say which way is "
            "better: set the direction by hand"
        )
    if analysis.first_experimental is None:
        return "inconclusive", (
            "the effect excludes no effect, but the arms do not say which group is experimental: "
            "set the direction by hand"
        )
    first_lower = effect.estimate < effect.null_value
    favours_first = first_lower == lower
    return ("supports" if favours_first == analysis.first_experimental else "contradicts"), None


def _count(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None and value >= 0 and value == int(value) else None


def _claims(
    record: Mapping[str, Any],
    where: str,
    study: Study,
    arms: Sequence[_Arm],
    conditions: Sequence[str],
) -> tuple[Claim, ...]:
    results = _obj(record, "resultsSection", where)
    r_where = _at(where, "resultsSection")
    module = _obj(results, "outcomeMeasuresModule", r_where)
    claims: list[Claim] = []
    seen: set[str] = set()
    for pointer, outcome in _objects(
        module, "outcomeMeasures", _at(r_where, "outcomeMeasuresModule")
    ):
        title = _str(outcome, "title", pointer)
        if title is None:
            continue
        kind = _enum(outcome, "type", pointer, _OUTCOME_TYPES)
        groups: dict[str, _Group] = {}
        for g_pointer, group in _objects(outcome, "groups", pointer):
            group_id = _str(group, "id", g_pointer)
            if group_id is None:
                continue
            g_title = _str(group, "title", g_pointer) or group_id
            g_description = _str(group, "description", g_pointer)
            groups[group_id] = _Group(
                group_id, g_title, g_description, _match_arm(g_title, g_description, arms)
            )
        analysis = None
        analyses = _objects(outcome, "analyses", pointer)
        for a_pointer, item in analyses:
            analysis = _analysis(item, a_pointer, groups)
            if analysis is not None:
                break
        if analysis is None:
            continue
        description = _str(outcome, "description", pointer)
        claim_id = base = slug(title)
        number = 1
        while claim_id in seen:
            number += 1
            claim_id = f"{base}-{number}"
        seen.add(claim_id)
        direction, note = _direction(analysis, title)
        first, second = analysis.groups
        experimental, comparator = (
            (first, second) if analysis.first_experimental is not False else (second, first)
        )
        outcome_kind = kind.lower().replace("_", "-") if kind else None
        link_extension: dict[str, Any] = {
            "outcome": outcome_kind,
            "outcomeTitle": title,
            "timeFrame": _str(outcome, "timeFrame", pointer),
            "analysis": analysis.raw,
            "analyses": len(analyses) if len(analyses) > 1 else None,
            "orientation": None
            if analysis.first_experimental is not None
            else "unknown: the arms do not say which group is experimental",
            "note": note,
        }
        counts = _denominators(outcome, pointer)
        analysed = sum(counts.get(g.id, 0) for g in analysis.groups)
        n = analysed if analysed >= 1 and analysed != study.n else None
        events = None
        if (
            analysis.effect.measure in ("OR", "RR", "RD")
            and analysis.first_experimental is not None
        ):
            events = _events(outcome, pointer, experimental.id, comparator.id)
        text = title if title.endswith((".", "?", "!")) else f"{title}."
        link = EvidenceLink(
            study=study.id,
            direction=direction,
            effect=analysis.effect,
            events=events,
            n=n,
            extensions={EXTENSION: {k: v for k, v in link_extension.items() if v is not None}},
        )
        claims.append(
            Claim(
                id=claim_id,
                text=f"{text} {description}" if description else title,
                evidence=(link,),
                population="; ".join(conditions) or None,
                intervention=_treatment(experimental),
                comparator=_treatment(comparator),
                outcome=title,
                outcome_type=_OUTCOME_TYPE[analysis.effect.measure],
                extensions={EXTENSION: {"outcome": outcome_kind, "nct": study.nct}}
                if outcome_kind
                else {EXTENSION: {"nct": study.nct}},
            )
        )
    return tuple(claims)


_OUTCOME_TYPE: Mapping[str, Literal["continuous", "dichotomous", "time-to-event"]] = {
    "HR": "time-to-event",
    "OR": "dichotomous",
    "RR": "dichotomous",
    "RD": "dichotomous",
    "MD": "continuous",
    "SMD": "continuous",
}


def _treatment(group: _Group) -> str:
    return group.arm.treatment if group.arm is not None else group.title


def _denominators(outcome: Mapping[str, Any], where: str) -> dict[str, int]:
    """Participants analysed per group (the denominator counted in participants)."""
    for pointer, denom in _objects(outcome, "denoms", where):
        units = _str(denom, "units", pointer) or ""
        if units.lower() != "participants":
            continue
        counts: dict[str, int] = {}
        for c_pointer, item in _objects(denom, "counts", pointer):
            group_id = _str(item, "groupId", c_pointer)
            value = _count(_str(item, "value", c_pointer))
            if group_id is not None and value is not None:
                counts[group_id] = value
        return counts
    return {}


def _events(
    outcome: Mapping[str, Any], where: str, experimental: str, comparator: str
) -> Events | None:
    """Event counts when the outcome is a count of participants in one category."""
    if _str(outcome, "paramType", where) != "COUNT_OF_PARTICIPANTS":
        return None
    classes = _objects(outcome, "classes", where)
    if len(classes) != 1:
        return None
    categories = _objects(classes[0][1], "categories", classes[0][0])
    if len(categories) != 1:
        return None
    values: dict[str, int | None] = {}
    for m_pointer, item in _objects(categories[0][1], "measurements", categories[0][0]):
        group_id = _str(item, "groupId", m_pointer)
        if group_id is not None:
            values[group_id] = _count(_str(item, "value", m_pointer))
    a, b = values.get(experimental), values.get(comparator)
    return Events(a, b) if a is not None and b is not None else None
