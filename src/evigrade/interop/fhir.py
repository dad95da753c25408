"""HL7 FHIR R5 evidence-based medicine (EBM) resources: export to a Bundle, import back.

The exporter writes a Bundle of type ``collection``: a Citation per study and an Evidence per
claim, the Evidence carrying the claim's GRADE certainty (an Overall rating and one
subcomponent per GRADE domain) and referring to the Citations of its studies. The importer
reads Citation, Evidence and ArtifactAssessment (certainty of evidence) resources, alone or in
Bundles. docs/fhir.md says what maps to what, and what a round trip keeps.

The output is plain JSON (no FHIR library at run time); the tests check it against the
``fhir.resources`` R5 models.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from ..domains import DOMAINS
from ..grading import grade_file
from ..kinds import Design, ImportRecord, Registry
from ..model import (
    Applicability,
    Claim,
    Effect,
    Events,
    EvidenceFile,
    EvidenceLink,
    Grade,
    Heterogeneity,
    IncludedRiskOfBias,
    Judgment,
    RiskOfBias,
    Study,
    Thresholds,
)
from ..problems import Problem

__all__ = [
    "CERTAINTY_RATING",
    "CERTAINTY_TYPE",
    "EVIGRADE",
    "RULE_RATER",
    "SEVCO",
    "export_bundle",
    "read_fhir",
]

CERTAINTY_TYPE = "http://hl7.org/fhir/certainty-type"
CERTAINTY_RATING = "http://hl7.org/fhir/certainty-rating"
#: The R5 study-design code system (SEVCO codes such as "SEVCO:01003"), which the
#: ``http://hl7.org/fhir/ValueSet/study-design`` binding of Evidence.studyDesign takes. The
#: importer takes SEVCO codes from any system (the FEvIR examples also use
#: ``https://fevir.net/resources/CodeSystem/181513``).
SEVCO = "http://hl7.org/fhir/study-design"
#: The FEvIR code system of the examples' "study-design" classification type.
FEVIR_TYPES = "https://fevir.net/resources/CodeSystem/179423"
VARIABLE_ROLE = "http://terminology.hl7.org/CodeSystem/variable-role"
#: evigrade's own code systems, identifier systems and extensions live under this address.
EVIGRADE = "https://github.com/evigrade/evigrade/fhir"
STUDY_ID = f"{EVIGRADE}/study-id"
CLAIM_ID = f"{EVIGRADE}/claim-id"
DESIGN = f"{EVIGRADE}/design"
DIRECTION = f"{EVIGRADE}/direction"
EXTENSION = f"{EVIGRADE}/StructureDefinition"
#: ``rater`` of a certainty subcomponent that an automatic rule judged: the importer leaves it
#: out, since the rule judges the imported studies again.
RULE_RATER = "evigrade rule"
PMID = "https://pubmed.ncbi.nlm.nih.gov"
DOI = "https://doi.org"
NCT = "https://clinicaltrials.gov"

_TYPE_DISPLAY = {
    "Overall": "Overall certainty",
    "RiskOfBias": "Risk of bias",
    "Inconsistency": "Inconsistency",
    "Indirectness": "Indirectness",
    "Imprecision": "Imprecision",
    "PublicationBias": "Publication bias",
    "DoseResponseGradient": "Dose response gradient",
    "PlausibleConfounding": "Plausible confounding",
    "LargeEffect": "Large effect",
}
_RATING_DISPLAY = {
    "high": "High quality",
    "moderate": "Moderate quality",
    "low": "Low quality",
    "very-low": "Very low quality",
    "no-concern": "no serious concern",
    "serious-concern": "serious concern",
    "very-serious-concern": "very serious concern",
    "extremely-serious-concern": "extremely serious concern",
    "present": "present",
    "absent": "absent",
    "no-change": "no change to rating",
    "downcode1": "reduce rating: -1",
    "downcode2": "reduce rating: -2",
    "downcode3": "reduce rating: -3",
    "upcode1": "increase rating: +1",
    "upcode2": "increase rating: +2",
}
#: GRADE label -> Overall certainty-rating code.
_OVERALL = {"High": "high", "Moderate": "moderate", "Low": "low", "Very low": "very-low"}
#: evigrade rating -> certainty-rating code (up-domain ratings that moved nothing: no-change).
_RATING_OUT = {
    "not-serious": "no-concern",
    "serious": "serious-concern",
    "very-serious": "very-serious-concern",
    "extremely-serious": "extremely-serious-concern",
    "none": "absent",
    "large": "upcode1",
    "very-large": "upcode2",
    "absent": "absent",
    "present": "present",
}
_DOWN_IN = {
    "no-concern": "not-serious",
    "no-change": "not-serious",
    "absent": "not-serious",
    "serious-concern": "serious",
    "downcode1": "serious",
    "very-serious-concern": "very-serious",
    "downcode2": "very-serious",
    "extremely-serious-concern": "extremely-serious",
    "downcode3": "extremely-serious",
}
_RATING_IN: dict[str, dict[str, str]] = {
    **{name: _DOWN_IN for name in DOMAINS if DOMAINS[name].direction == "down"},
    "large_effect": {
        "absent": "none",
        "no-change": "none",
        "present": "large",
        "upcode1": "large",
        "upcode2": "very-large",
    },
    "dose_response": {"absent": "absent", "no-change": "absent", "present": "present"},
    "plausible_confounding": {"absent": "absent", "no-change": "absent", "present": "present"},
}
_DOMAIN_OF_TYPE = {d.fhir_code: d.name for d in DOMAINS.values()}

#: MEDLINE publication types, strongest design first (docs/fhir.md#citation).
_PUBLICATION_TYPES: tuple[tuple[str, str], ...] = (
    ("meta-analysis", "meta-analysis"),
    ("systematic review", "systematic-review"),
    ("randomized controlled trial", "rct"),
    ("controlled clinical trial", "non-randomized-trial"),
    ("observational study", "prospective-cohort"),
    ("case reports", "case-report"),
    ("clinical trial", "non-randomized-trial"),
    ("practice guideline", "guideline"),
    ("guideline", "guideline"),
    ("review", "narrative-review"),
    ("editorial", "expert-opinion"),
    ("comment", "expert-opinion"),
    ("letter", "expert-opinion"),
)
#: SEVCO codes too general to choose a design by themselves.
_GENERAL_SEVCO = frozenset({"SEVCO:01001", "SEVCO:01002", "SEVCO:01028", "SEVCO:01029"})
_MEASURES = (
    ("standardized mean difference", "SMD"),
    ("mean difference", "MD"),
    ("risk difference", "RD"),
    ("relative risk", "RR"),
    ("risk ratio", "RR"),
    ("odds ratio", "OR"),
    ("hazard ratio", "HR"),
)
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")

# Study and link fields carried as extensions: (field, FHIR value type).
_STUDY_FIELDS = (
    ("n", "Integer"),
    ("of", "Code"),
    ("species", "String"),
    ("population", "String"),
    ("pilot", "Boolean"),
    ("randomized", "Boolean"),
    ("blinding", "Code"),
    ("control", "Code"),
    ("duration", "String"),
    ("status", "Code"),
    ("funding", "Code"),
    ("included_studies", "Integer"),
)
_CLAIM_FIELDS = (
    ("outcome_kind", "Code"),
    ("outcome_type", "Code"),
    ("species", "String"),
    ("control_risk", "Decimal"),
)
#: The counts of an included-risk-of-bias object.
_RISK_COUNTS = ("low", "some_concerns", "high", "critical", "unclear")


# -- export ------------------------------------------------------------------------------------


def _ext_url(name: str) -> str:
    return f"{EXTENSION}/{name.replace('_', '-')}"


def _ext(name: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": _ext_url(name), f"value{kind}": value}


def _complex(name: str, parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"url": _ext_url(name), "extension": list(parts)}


def _part(name: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": name, f"value{kind}": value}


def _included_risk(counts: IncludedRiskOfBias) -> dict[str, Any]:
    parts = [_part("tool", "Code", counts.tool)] if counts.tool is not None else []
    for name in _RISK_COUNTS:
        value = getattr(counts, name)
        if value is not None:
            parts.append(_part(name, "Integer", value))
    return _complex("included_risk_of_bias", parts)


def fhir_id(value: str) -> str:
    """A FHIR resource id for an evigrade id: the id itself where FHIR allows it."""
    if _FHIR_ID.match(value):
        return value
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]
    stem = re.sub(r"[^A-Za-z0-9\-.]+", "-", value)[:40].strip("-.") or "id"
    return f"{stem}-{digest}"


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"coding": [_coding(system, code, display)]}


def _citation(study: Study, design: Design | None) -> dict[str, Any]:
    artifact: dict[str, Any] = {
        "identifier": [{"system": STUDY_ID, "value": study.id}],
    }
    for system, value in ((PMID, study.pmid), (DOI, study.doi), (NCT, study.nct)):
        if value:
            artifact["identifier"].append({"system": system, "value": value})
    if study.title:
        artifact["title"] = [{"text": study.title}]
    if study.year is not None or study.journal:
        form: dict[str, Any] = {}
        if study.journal:
            form["publishedIn"] = {"title": study.journal}
        if study.year is not None:
            form["articleDate"] = f"{study.year:04d}"
        artifact["publicationForm"] = [form]
    if study.url:
        artifact["webLocation"] = [{"url": study.url}]
    classification = [
        {
            "type": _concept(EVIGRADE, "design", "evigrade study design"),
            "classifier": [
                _concept(DESIGN, study.design, design.label if design else None),
            ],
        }
    ]
    if design and design.sevco:
        classification.insert(
            0,
            {
                "type": _concept(FEVIR_TYPES, "study-design", "Study Design"),
                "classifier": [_concept(SEVCO, code) for code in design.sevco],
            },
        )
    artifact["classification"] = classification
    if study.authors:
        artifact["contributorship"] = {
            "entry": [{"contributor": {"display": author}} for author in study.authors]
        }
    extensions = [
        _ext(name, kind, getattr(study, name))
        for name, kind in _STUDY_FIELDS
        if getattr(study, name) is not None
    ]
    if study.risk_of_bias is not None:
        rob = study.risk_of_bias
        parts = [_part("tool", "Code", rob.tool)]
        if rob.overall is not None:
            parts.append(_part("overall", "String", rob.overall))
        for key in sorted(rob.domains):
            parts.append(
                {
                    "url": "domain",
                    "extension": [
                        _part("name", "String", key),
                        _part("rating", "String", rob.domains[key]),
                    ],
                }
            )
        extensions.append(_complex("risk_of_bias", parts))
    if study.included_risk_of_bias is not None:
        extensions.append(_included_risk(study.included_risk_of_bias))
    resource: dict[str, Any] = {"resourceType": "Citation", "id": fhir_id(study.id)}
    if extensions:
        resource["extension"] = extensions
    resource["status"] = "active"
    resource["citedArtifact"] = artifact
    return resource


def _link_artifact(link: EvidenceLink, study: Study | None) -> dict[str, Any]:
    extensions: list[dict[str, Any]] = []
    if link.n is not None:
        extensions.append(_ext("link_n", "Integer", link.n))
    if link.dose_response is not None:
        extensions.append(_ext("dose_response", "Boolean", link.dose_response))
    if link.quote is not None:
        extensions.append(_ext("quote", "String", link.quote))
    for name in ("addresses", "cited_by_source"):
        if getattr(link, name) is not None:
            extensions.append(_ext(name, "Boolean", getattr(link, name)))
    if link.included_studies is not None:
        extensions.append(_ext("included_studies", "Integer", link.included_studies))
    if link.included_risk_of_bias is not None:
        extensions.append(_included_risk(link.included_risk_of_bias))
    if link.effect is not None:
        effect = link.effect
        parts = [_part("measure", "Code", effect.measure)]
        for name in ("estimate", "ci_low", "ci_high", "p"):
            value = getattr(effect, name)
            if value is not None:
                parts.append(_part(name, "Decimal", value))
        if effect.heterogeneity is not None:
            spread = effect.heterogeneity
            values = (("i2", spread.i2), ("tau2", spread.tau2), ("p", spread.p))
            parts.append(
                {
                    "url": "heterogeneity",
                    "extension": [
                        _part(name, "Decimal", value) for name, value in values if value is not None
                    ],
                }
            )
        extensions.append(_complex("effect", parts))
    if link.events is not None:
        extensions.append(
            _complex(
                "events",
                [
                    _part("intervention", "Integer", link.events.intervention),
                    _part("control", "Integer", link.events.control),
                ],
            )
        )
    if link.applicability is not None:
        parts = [
            _part(name, "Code", getattr(link.applicability, name))
            for name in ("population", "intervention", "comparator", "outcome")
            if getattr(link.applicability, name) is not None
        ]
        extensions.append(_complex("applicability", parts))
    artifact: dict[str, Any] = {}
    if extensions:
        artifact["extension"] = extensions
    artifact["type"] = "citation"
    artifact["classifier"] = [_concept(DIRECTION, link.direction)]
    reference: dict[str, Any] = {"reference": f"Citation/{fhir_id(link.study)}", "type": "Citation"}
    if study is not None and study.title:
        reference["display"] = study.title
    artifact["resourceReference"] = reference
    return artifact


def _variables(claim: Claim) -> list[dict[str, Any]]:
    roles = (
        ("population", "population", "population"),
        ("intervention", "exposure", "exposure"),
        ("comparator", "referenceExposure", "reference exposure"),
        ("outcome", "measuredVariable", "measured variable"),
    )
    variables = [
        {
            "description": getattr(claim, name),
            "variableRole": _concept(VARIABLE_ROLE, code, display),
        }
        for name, code, display in roles
        if getattr(claim, name)
    ]
    if not variables:  # Evidence.variableDefinition is required (1..*)
        variables.append({"variableRole": _concept(VARIABLE_ROLE, "measuredVariable")})
    return variables


def _subcomponent(
    domain: str, rating: str, change: int, reason: str | None, rater: str
) -> dict[str, Any]:
    definition = DOMAINS[domain]
    code = _RATING_OUT.get(rating, "no-change")
    if definition.direction == "up" and change == 0 and rating != definition.neutral:
        code = "no-change"  # found, but GRADE did not rate up for it
    component: dict[str, Any] = {}
    if reason:
        component["note"] = [{"text": reason}]
    component["rater"] = rater
    component["type"] = _concept(
        CERTAINTY_TYPE, definition.fhir_code, _TYPE_DISPLAY.get(definition.fhir_code)
    )
    component["rating"] = _concept(CERTAINTY_RATING, code, _RATING_DISPLAY[code])
    return component


def _certainty(claim: Claim, grade: Grade | None) -> dict[str, Any]:
    overall: dict[str, Any] = {}
    steps = grade.rationale if grade is not None else ()
    label = grade.label if grade is not None else "not graded"
    summary = "; ".join(step.reason for step in steps if step.reason)
    overall["description"] = f"GRADE {label}" + (f": {summary}" if summary else "")
    overall["rater"] = "evigrade (GRADE)"
    overall["type"] = _concept(CERTAINTY_TYPE, "Overall", _TYPE_DISPLAY["Overall"])
    code = _OVERALL.get(label)
    if code is not None:
        overall["rating"] = _concept(CERTAINTY_RATING, code, _RATING_DISPLAY[code])
    else:  # the code system has no "no evidence": say so in words, with no code
        overall["rating"] = {"text": label}
    components: dict[str, dict[str, Any]] = {}
    for step in steps:
        if step.domain not in DOMAINS or step.kind not in ("down", "up", "check"):
            continue
        if step.rating is None or step.domain in components:
            continue
        if step.source == "reviewer":
            own = claim.judgment(step.domain)
            reason = own.reason if own is not None else step.reason
            rater = "reviewer"
        else:
            reason = step.reason
            rater = f"{RULE_RATER} {step.rule}" if step.rule else RULE_RATER
        components[step.domain] = _subcomponent(
            step.domain, step.rating, step.change, reason, rater
        )
    for judgment in claim.judgments:  # reviewer judgments the grade did not get to use
        if judgment.domain in DOMAINS and judgment.domain not in components:
            change = DOMAINS[judgment.domain].change(judgment.rating)
            components[judgment.domain] = _subcomponent(
                judgment.domain, judgment.rating, change, judgment.reason, "reviewer"
            )
    ordered = [components[name] for name in DOMAINS if name in components]
    if ordered:
        overall["subcomponent"] = ordered
    return overall


def _evidence(
    claim: Claim,
    grades: Mapping[str, Grade],
    studies: Mapping[str, Study],
    registry: Registry,
) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Evidence", "id": fhir_id(claim.id)}
    extensions = [
        _ext(name, kind, getattr(claim, name))
        for name, kind in _CLAIM_FIELDS
        if getattr(claim, name) is not None
    ]
    if claim.thresholds is not None:
        extensions.append(
            _complex(
                "thresholds",
                [
                    _part("measure", "Code", claim.thresholds.measure),
                    _part("mid", "Decimal", claim.thresholds.mid),
                ],
            )
        )
    if extensions:
        resource["extension"] = extensions
    resource["identifier"] = [{"system": CLAIM_ID, "value": claim.id}]
    resource["title"] = claim.text
    resource["status"] = "active"
    if claim.evidence:
        resource["relatedArtifact"] = [
            _link_artifact(link, studies.get(link.study)) for link in claim.evidence
        ]
    if grades:
        resource["description"] = "Graded by evigrade: " + "; ".join(
            f"{name} {grade.label}" for name, grade in grades.items()
        )
    resource["assertion"] = claim.text
    resource["variableDefinition"] = _variables(claim)
    codes: list[str] = []
    for link in claim.evidence:
        study = studies.get(link.study)
        design = registry.designs.get(study.design) if study else None
        for code in design.sevco if design else ():
            if code not in codes:
                codes.append(code)
    if codes:
        resource["studyDesign"] = [_concept(SEVCO, code) for code in sorted(codes)]
    resource["certainty"] = [_certainty(claim, grades.get("grade"))]
    return resource


def export_bundle(evidence: EvidenceFile, registry: Registry) -> dict[str, Any]:
    """The FHIR R5 Bundle (type ``collection``) of an evidence file and its grades."""
    report = grade_file(evidence, registry=registry)
    studies = {study.id: study for study in evidence.studies}
    entries: list[dict[str, Any]] = [
        {"resource": _citation(study, registry.designs.get(study.design))}
        for study in evidence.studies
    ]
    entries.extend(
        {"resource": _evidence(result.claim, result.grades, studies, registry)}
        for result in report.results
    )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


# -- import ------------------------------------------------------------------------------------


class _Bad(Exception):
    """A resource that cannot be imported: why, and where (a JSON Pointer)."""

    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


def _slug(value: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return text[:200].strip("-") or "x"


def _id_of(value: str) -> str:
    return value if _SLUG.match(value) else _slug(value)


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]


def _code(concept: Any, system: str) -> str | None:
    for coding in _codings(concept):
        if coding.get("system") == system and isinstance(coding.get("code"), str):
            code: str = coding["code"]
            return code
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _extensions(node: Mapping[str, Any]) -> dict[str, Any]:
    """evigrade's extensions on a FHIR element: name -> value (or sub-extension list)."""
    found: dict[str, Any] = {}
    for ext in _list(node.get("extension")):
        if not isinstance(ext, dict) or not str(ext.get("url", "")).startswith(EXTENSION + "/"):
            continue
        name = str(ext["url"])[len(EXTENSION) + 1 :].replace("-", "_")
        if "extension" in ext:
            found[name] = _list(ext["extension"])
        else:
            values = [v for k, v in ext.items() if k.startswith("value")]
            if values:
                found[name] = values[0]
    return found


def _parts(parts: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for part in _list(parts):
        if isinstance(part, dict) and isinstance(part.get("url"), str):
            values = [v for k, v in part.items() if k.startswith("value")]
            if "extension" in part:
                result.setdefault(part["url"] + "[]", []).append(_parts(part["extension"]))
            elif values:
                result[part["url"]] = values[0]
    return result


def _reference_key(reference: Any) -> str | None:
    """``Type/id`` of a reference string (relative, absolute or with a version)."""
    if not isinstance(reference, str):
        return None
    reference = reference.split("/_history/")[0]
    pieces = [p for p in reference.split("/") if p]
    if len(pieces) >= 2:
        return f"{pieces[-2]}/{pieces[-1]}"
    return None


def _design_of_sevco(codes: Sequence[str], designs: Mapping[str, Design]) -> str | None:
    wanted = set(codes)
    best: tuple[int, int, str] | None = None
    for index, design in enumerate(designs.values()):
        sevco = set(design.sevco)
        if not sevco:
            continue
        if sevco <= wanted:
            score = (2 * len(sevco), -index, design.id)
        elif (sevco & wanted) - _GENERAL_SEVCO:
            score = (len(sevco & wanted), -index, design.id)
        else:
            continue
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else None


def _sevco_codes(concepts: Sequence[Any]) -> list[str]:
    codes = []
    for concept in concepts:
        for coding in _codings(concept):
            code = coding.get("code")
            if isinstance(code, str) and code.startswith("SEVCO:"):
                codes.append(code)
    return codes


@attrs.define
class _Reader:
    """Reads the resources of one file (a resource or a Bundle) into records."""

    path: str
    registry: Registry
    studies: dict[str, str] = attrs.field(factory=dict)  # "Citation/x" or fullUrl -> study id
    claims: dict[str, str] = attrs.field(factory=dict)  # "Evidence/x" or fullUrl -> claim id

    # Citation -------------------------------------------------------------------------------

    def study_id(self, resource: Mapping[str, Any], where: str) -> str:
        artifact = resource.get("citedArtifact") if isinstance(resource, dict) else None
        identifiers = [*_list(resource.get("identifier"))]
        if isinstance(artifact, dict):
            identifiers = [*_list(artifact.get("identifier")), *identifiers]
        for identifier in identifiers:
            if isinstance(identifier, dict) and identifier.get("system") == STUDY_ID:
                value = _text(identifier.get("value"))
                if value:
                    return _id_of(value)
        if _text(resource.get("id")):
            return _id_of(str(resource["id"]))
        for identifier in identifiers:
            if isinstance(identifier, dict) and identifier.get("system") == PMID:
                value = _text(identifier.get("value"))
                if value:
                    return f"pmid-{_id_of(value)}"
        raise _Bad("Citation without an id or a PubMed identifier: expected one", where)

    def design(self, artifact: Mapping[str, Any], where: str) -> str:
        designs = self.registry.designs
        sevco: list[str] = []
        publication: list[str] = []
        for entry in _list(artifact.get("classification")):
            if not isinstance(entry, dict):
                continue
            classifiers = _list(entry.get("classifier"))
            for concept in classifiers:
                code = _code(concept, DESIGN)
                if code is not None and code in designs:
                    return code
            sevco.extend(_sevco_codes(classifiers))
            if _code(
                entry.get("type"), "http://hl7.org/fhir/cited-artifact-classification-type"
            ) in (
                "publication-type",
                "knowledge-artifact-type",
            ):
                for concept in classifiers:
                    for coding in _codings(concept):
                        publication.append(str(coding.get("display", "")).lower())
                    if _text(concept.get("text") if isinstance(concept, dict) else None):
                        publication.append(str(concept["text"]).lower())
        if sevco:
            found = _design_of_sevco(sevco, designs)
            if found is not None:
                return found
        for name, design in _PUBLICATION_TYPES:
            if name in publication and design in designs:
                return design
        raise _Bad(
            "cannot tell the study design: expected an evigrade design, SEVCO study-design "
            "codes or MEDLINE publication types in citedArtifact.classification",
            f"{where}/citedArtifact",
        )

    def citation(self, resource: Mapping[str, Any], where: str) -> ImportRecord:
        artifact = resource.get("citedArtifact")
        if not isinstance(artifact, dict):
            raise _Bad("Citation without citedArtifact: expected the cited study", where)
        study_id = self.study_id(resource, where)
        fields: dict[str, Any] = {"id": study_id, "design": self.design(artifact, where)}
        titles = [t for t in _list(artifact.get("title")) if isinstance(t, dict)]
        primary = [
            t
            for t in titles
            if _code((t.get("type") or [None])[0], "http://hl7.org/fhir/title-type") == "primary"
        ]
        for title in (*primary, *titles):
            if _text(title.get("text")):
                fields["title"] = _text(title["text"])
                break
        else:
            if _text(resource.get("title")):
                fields["title"] = _text(resource["title"])
        for identifier in _list(artifact.get("identifier")):
            if not isinstance(identifier, dict) or not _text(identifier.get("value")):
                continue
            system = str(identifier.get("system", "")).lower()
            value = _text(identifier["value"])
            if "pubmed" in system and "pmid" not in fields:
                fields["pmid"] = value
            elif "doi.org" in system and "doi" not in fields:
                fields["doi"] = value
            elif "clinicaltrials.gov" in system and "nct" not in fields:
                fields["nct"] = value
        forms = [f for f in _list(artifact.get("publicationForm")) if isinstance(f, dict)]
        for form in forms:
            published = form.get("publishedIn")
            if isinstance(published, dict) and _text(published.get("title")):
                fields.setdefault("journal", _text(published["title"]))
            for key in ("articleDate", "publicationDateText", "lastRevisionDate"):
                match = re.match(r"\d{4}", str(form.get(key) or ""))
                if match and "year" not in fields:
                    fields["year"] = int(match.group())
        for location in _list(artifact.get("webLocation")):
            if isinstance(location, dict) and _text(location.get("url")):
                fields["url"] = _text(location["url"])
                break
        contributors = artifact.get("contributorship")
        if isinstance(contributors, dict):
            authors = []
            for entry in _list(contributors.get("entry")):
                contributor = entry.get("contributor") if isinstance(entry, dict) else None
                name = _text(contributor.get("display")) if isinstance(contributor, dict) else None
                if name:
                    authors.append(name)
            if authors:
                fields["authors"] = tuple(authors)
        extra = _extensions(resource)
        for name, _kind in _STUDY_FIELDS:
            if name in extra:
                fields[name] = extra[name]
        if "risk_of_bias" in extra:
            parts = _parts(extra["risk_of_bias"])
            fields["risk_of_bias"] = RiskOfBias(
                tool=parts.get("tool", "other"),
                overall=parts.get("overall"),
                domains={d["name"]: d["rating"] for d in parts.get("domain[]", [])},
            )
        if "included_risk_of_bias" in extra:
            fields["included_risk_of_bias"] = IncludedRiskOfBias(
                **_parts(extra["included_risk_of_bias"])
            )
        return ImportRecord(study=Study(**fields))

    # Evidence -------------------------------------------------------------------------------

    def claim_id(self, resource: Mapping[str, Any], where: str) -> str:
        for identifier in _list(resource.get("identifier")):
            if isinstance(identifier, dict) and identifier.get("system") == CLAIM_ID:
                value = _text(identifier.get("value"))
                if value:
                    return _id_of(value)
        if _text(resource.get("id")):
            return _id_of(str(resource["id"]))
        raise _Bad("resource without an id: expected one to name the claim", where)

    def judgments(
        self, components: Sequence[Any], where: str, *, content: bool = False
    ) -> list[Judgment]:
        """Reviewer judgments of the certainty subcomponents (ArtifactAssessment components
        when ``content``) whose type is a GRADE domain."""
        judgments = []
        for index, component in enumerate(components):
            if not isinstance(component, dict):
                continue
            kind = _code(component.get("type"), CERTAINTY_TYPE)
            if kind == "Overall":
                nested = component.get("component" if content else "subcomponent")
                judgments.extend(self.judgments(_list(nested), f"{where}/{index}", content=content))
                continue
            domain = _DOMAIN_OF_TYPE.get(kind or "")
            if domain is None:
                continue
            if str(component.get("rater", "")).startswith(RULE_RATER):
                continue  # an evigrade rule's judgment: the rule judges the studies again
            rated = _list(component.get("classifier")) if content else [component.get("rating")]
            code = next((c for c in (_code(r, CERTAINTY_RATING) for r in rated) if c), None)
            rating = _RATING_IN[domain].get(code or "")
            if rating is None or rating not in DOMAINS[domain].rating_names:
                continue  # no rating of this domain in evigrade: the rules judge it
            reason = self.reason(component, content=content)
            if reason is None and rating != DOMAINS[domain].neutral:
                reason = f"FHIR certainty rating {code} (no reason given)"
            judgments.append(Judgment(domain, rating, reason))
        return judgments

    def reason(self, component: Mapping[str, Any], *, content: bool) -> str | None:
        texts = []
        if content:
            if _text(component.get("summary")):
                texts.append(str(_text(component["summary"])))
        else:
            if _text(component.get("description")):
                texts.append(str(_text(component["description"])))
            texts.extend(
                str(_text(n.get("text")))
                for n in _list(component.get("note"))
                if isinstance(n, dict) and _text(n.get("text"))
            )
        nested = _list(component.get("component" if content else "subcomponent"))
        for child in nested:
            if not isinstance(child, dict):
                continue
            concept = child.get("type")
            label = _text(concept.get("text")) if isinstance(concept, dict) else None
            label = label or next(
                (str(c["display"]) for c in _codings(concept) if _text(c.get("display"))), None
            )
            rated = _list(child.get("classifier")) if content else [child.get("rating")]
            value = next(
                (str(c["display"]) for r in rated for c in _codings(r) if _text(c.get("display"))),
                None,
            )
            why = self.reason(child, content=content)
            head = f"{label or 'component'}" + (f" ({value})" if value else "")
            texts.append(f"{head}: {why}" if why else head)
        return "; ".join(texts) or None

    def evidence(self, resource: Mapping[str, Any], where: str) -> ImportRecord:
        claim_id = self.claim_id(resource, where)
        text = next(
            (
                _text(resource.get(key))
                for key in ("assertion", "title", "description", "name")
                if _text(resource.get(key))
            ),
            None,
        )
        if text is None:
            raise _Bad(
                "Evidence without assertion, title or description: expected the claim", where
            )
        fields: dict[str, Any] = {"id": claim_id, "text": text}
        exposures = []
        for variable in _list(resource.get("variableDefinition")):
            if not isinstance(variable, dict):
                continue
            role = _code(variable.get("variableRole"), VARIABLE_ROLE)
            for ext in _list(variable.get("extension")):
                if isinstance(ext, dict) and str(ext.get("url", "")).endswith("variable-role-code"):
                    role = ext.get("valueCode", role)
            words = _text(variable.get("description"))
            for ref in ("observed", "intended"):
                if words is None and isinstance(variable.get(ref), dict):
                    words = _text(variable[ref].get("display"))
            if words is None:
                continue
            if role == "population":
                fields.setdefault("population", words)
            elif role == "exposure":
                exposures.append(words)
            elif role == "referenceExposure":
                fields.setdefault("comparator", words)
            elif role in ("measuredVariable", "outcome"):
                fields.setdefault("outcome", words)
        if exposures:
            fields["intervention"] = exposures[0]
            if len(exposures) > 1:
                fields.setdefault("comparator", exposures[1])
        extra = _extensions(resource)
        for name, _kind in _CLAIM_FIELDS:
            if name in extra:
                fields[name] = extra[name]
        if "thresholds" in extra:
            fields["thresholds"] = Thresholds(**_parts(extra["thresholds"]))
        judgments: list[Judgment] = []
        overall: str | None = None
        for index, certainty in enumerate(_list(resource.get("certainty"))):
            if not isinstance(certainty, dict):
                continue
            if _code(certainty.get("type"), CERTAINTY_TYPE) == "Overall":
                overall = overall or _code(certainty.get("rating"), CERTAINTY_RATING)
            judgments.extend(self.judgments([certainty], f"{where}/certainty/{index}"))
        fields["judgments"] = _unique(judgments)
        own = any(
            isinstance(i, dict) and i.get("system") == CLAIM_ID
            for i in _list(resource.get("identifier"))
        )
        if overall is not None and not own:
            fields["extensions"] = {"x-fhir-certainty": overall}
        links: list[EvidenceLink] = []
        for index, artifact in enumerate(_list(resource.get("relatedArtifact"))):
            link = self.link(artifact, f"{where}/relatedArtifact/{index}")
            if link is not None and all(link.study != other.study for other in links):
                links.append(link)
        body: Study | None = None
        if not links:
            made = self.body(resource, claim_id)
            if made is not None:
                body, link = made
                links.append(link)
        return ImportRecord(study=body, claims=(Claim(evidence=tuple(links), **fields),))

    def link(self, artifact: Any, where: str) -> EvidenceLink | None:
        if not isinstance(artifact, dict) or artifact.get("type") == "cite-as":
            return None
        reference = artifact.get("resourceReference")
        target = reference.get("reference") if isinstance(reference, dict) else None
        if not isinstance(target, str):
            return None
        # Only Citations of the same file: a study evigrade cannot see has no design.
        study = self.studies.get(target) or self.studies.get(_reference_key(target) or "")
        if study is None:
            return None
        direction = "supports"
        for concept in _list(artifact.get("classifier")):
            code = _code(concept, DIRECTION)
            if code in ("supports", "contradicts", "inconclusive", "mixed"):
                direction = code
        extra = _extensions(artifact)
        fields: dict[str, Any] = {"study": study, "direction": direction}
        if "link_n" in extra:
            fields["n"] = extra["link_n"]
        if "dose_response" in extra:
            fields["dose_response"] = extra["dose_response"]
        if "quote" in extra:
            fields["quote"] = extra["quote"]
        for name in ("addresses", "cited_by_source", "included_studies"):
            if name in extra:
                fields[name] = extra[name]
        if "included_risk_of_bias" in extra:
            fields["included_risk_of_bias"] = IncludedRiskOfBias(
                **_parts(extra["included_risk_of_bias"])
            )
        if "effect" in extra:
            parts = _parts(extra["effect"])
            spread = parts.pop("heterogeneity[]", None)
            if spread:
                parts["heterogeneity"] = Heterogeneity(**spread[0])
            fields["effect"] = Effect(**parts)
        if "events" in extra:
            fields["events"] = Events(**_parts(extra["events"]))
        if "applicability" in extra:
            fields["applicability"] = Applicability(**_parts(extra["applicability"]))
        return EvidenceLink(**fields)

    def body(self, resource: Mapping[str, Any], claim_id: str) -> tuple[Study, EvidenceLink] | None:
        """The Evidence's body of evidence as one study, when it cites no Citation resource
        (``None`` when its studyDesign names no design evigrade knows)."""
        codes = _sevco_codes(_list(resource.get("studyDesign")))
        design = _design_of_sevco(codes, self.registry.designs) if codes else None
        if design is None:
            return None
        statistics = [s for s in _list(resource.get("statistic")) if isinstance(s, dict)]
        studies = participants = 0
        synthesis = resource.get("synthesisType") is not None
        for statistic in statistics:
            size = statistic.get("sampleSize")
            if isinstance(size, dict):
                studies = max(studies, _int(size.get("numberOfStudies")))
                participants = max(participants, _int(size.get("numberOfParticipants")))
            for model in _list(statistic.get("modelCharacteristic")):
                if (
                    isinstance(model, dict)
                    and _code(model.get("code"), "http://hl7.org/fhir/statistic-model-code")
                    == "metaAnalysis"
                ):
                    synthesis = True
        fields: dict[str, Any] = {"id": f"evidence-{claim_id}", "design": design}
        if synthesis or studies > 1:
            fields = {**fields, "design": "meta-analysis", "of": design}
        fields["n"] = participants or None
        if not self.registry.designs[fields["design"]].needs_participants:
            fields.pop("n")
        if _text(resource.get("title")):
            fields["title"] = _text(resource["title"])
        link: dict[str, Any] = {"study": fields["id"], "direction": "supports"}
        effect = _effect(statistics)
        if effect is not None:
            link["effect"] = effect
        return Study(**fields), EvidenceLink(**link)

    # ArtifactAssessment ---------------------------------------------------------------------

    def assessment(self, resource: Mapping[str, Any], where: str) -> ImportRecord | None:
        contents = [c for c in _list(resource.get("content")) if isinstance(c, dict)]
        rated = [c for c in contents if _code(c.get("type"), CERTAINTY_TYPE) is not None]
        if not rated:
            return None  # a classification, comment or risk-of-bias assessment: nothing to grade
        reference = resource.get("artifactReference")
        target = reference.get("reference") if isinstance(reference, dict) else None
        if not isinstance(target, str):
            target = resource.get("artifactCanonical") or resource.get("artifactUri")
        key = _reference_key(target)
        if key is None or not key.startswith("Evidence/"):
            raise _Bad(
                f"certainty rating of {target or 'nothing'}: expected an artifactReference to "
                "the Evidence it rates",
                f"{where}/artifactReference",
            )
        claim_id = self.claims.get(str(target)) or self.claims.get(key) or _id_of(key[9:])
        judgments = self.judgments(rated, f"{where}/content", content=True)
        display = reference.get("display") if isinstance(reference, dict) else None
        text = _text(display) or _text(resource.get("title")) or claim_id
        extensions: dict[str, Any] = {}
        for content in rated:
            if _code(content.get("type"), CERTAINTY_TYPE) == "Overall":
                code = next(
                    (_code(c, CERTAINTY_RATING) for c in _list(content.get("classifier"))), None
                )
                if code:
                    extensions["x-fhir-certainty"] = code
        claim = Claim(id=claim_id, text=text, judgments=_unique(judgments), extensions=extensions)
        return ImportRecord(claims=(claim,))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _effect(statistics: Sequence[Mapping[str, Any]]) -> Effect | None:
    """The first statistic with a known measure and a value, with its 95% CI and p."""
    for statistic in statistics:
        names = " ".join(
            str(c.get("display", "")).lower() for c in _codings(statistic.get("statisticType"))
        )
        measure = next((m for word, m in _MEASURES if word in names), None)
        quantity = statistic.get("quantity")
        value = quantity.get("value") if isinstance(quantity, dict) else None
        if measure is None or not isinstance(value, (int, float)):
            continue
        fields: dict[str, Any] = {"measure": measure, "estimate": value}
        for estimate in _list(statistic.get("attributeEstimate")):
            if not isinstance(estimate, dict):
                continue
            kinds = {str(c.get("code")) for c in _codings(estimate.get("type"))}
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


def _unique(judgments: Sequence[Judgment]) -> tuple[Judgment, ...]:
    """One judgment per domain, the last one winning."""
    by_domain: dict[str, Judgment] = {}
    for judgment in judgments:
        by_domain[judgment.domain] = judgment
    return tuple(by_domain[name] for name in DOMAINS if name in by_domain)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_fhir(path: str, registry: Registry) -> Iterator[ImportRecord]:
    """Read one FHIR R5 JSON file (a resource or a Bundle of them) into import records.

    Citations come first, then Evidence, then ArtifactAssessments, so that references between
    them resolve; an ArtifactAssessment's judgments are merged into the claim of an Evidence in
    the same file. Other resource types inside a Bundle are passed over.
    """
    from ..validation import read_text

    text = read_text(path)  # raises EvidenceError when the file cannot be read at all
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        yield ImportRecord(
            problem=Problem(
                f"invalid JSON: {error.msg}",
                file=path,
                line=error.lineno,
                column=error.colno,
                kind="syntax",
                keyword="json",
            )
        )
        return
    except (ValueError, RecursionError) as error:
        yield ImportRecord(
            problem=Problem(f"invalid JSON: {error}", file=path, kind="syntax", keyword="json")
        )
        return
    reader = _Reader(path, registry)
    positions: list[Any] = []

    def problem(message: str, pointer: str) -> ImportRecord:
        if not positions:
            from ..jsonpos import source_map

            positions.append(source_map(text))
        where = positions[0].position(pointer)
        line, column = where if where is not None else (None, None)
        return ImportRecord(
            problem=Problem(
                message,
                pointer=pointer,
                file=path,
                line=line,
                column=column,
                kind="semantic",
                keyword="fhir",
            )
        )

    resources: list[tuple[str, dict[str, Any], str | None]] = []  # (pointer, resource, fullUrl)
    if not isinstance(data, dict):
        yield problem(f"expected a FHIR resource (a JSON object), found {_kind(data)}", "")
        return
    kind = data.get("resourceType")
    if kind == "Bundle":
        for index, entry in enumerate(_list(data.get("entry"))):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                yield problem("Bundle entry without a resource", f"/entry/{index}")
                continue
            full = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
            if resource.get("resourceType") in _KINDS:
                resources.append((f"/entry/{index}/resource", resource, full))
    elif kind in _KINDS:
        resources.append(("", data, None))
    else:
        expected = ", ".join(("Bundle", *_KINDS))
        yield problem(
            f"resourceType {kind!r}: expected one of {expected}",
            "/resourceType" if "resourceType" in data else "",
        )
        return
    resources.sort(key=lambda item: _KINDS.index(item[1]["resourceType"]))
    for where, resource, full in resources:
        fhir = resource.get("id")
        if resource["resourceType"] == "Citation":
            try:
                study = reader.study_id(resource, where)
            except _Bad:
                continue
            for key in (full, f"Citation/{fhir}" if isinstance(fhir, str) else None):
                if key:
                    reader.studies[key] = study
        elif resource["resourceType"] == "Evidence":
            try:
                claim = reader.claim_id(resource, where)
            except _Bad:
                continue
            for key in (full, f"Evidence/{fhir}" if isinstance(fhir, str) else None):
                if key:
                    reader.claims[key] = claim
    records: list[ImportRecord] = []
    for where, resource, _full in resources:
        try:
            kind = resource["resourceType"]
            if kind == "Citation":
                record: ImportRecord | None = reader.citation(resource, where)
            elif kind == "Evidence":
                record = reader.evidence(resource, where)
            else:
                record = reader.assessment(resource, where)
        except _Bad as bad:
            records.append(problem(bad.message, bad.pointer))
            continue
        except (TypeError, ValueError, KeyError) as error:
            records.append(problem(f"cannot read {resource['resourceType']}: {error}", where))
            continue
        if record is not None and not _merged(records, record):
            records.append(record)
    yield from records


_KINDS = ("Citation", "Evidence", "ArtifactAssessment")


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean"}.get(type(value), "a value")


def _merged(records: list[ImportRecord], record: ImportRecord) -> bool:
    """Fold a certainty rating into the claim an earlier record of the file made, if any."""
    if record.study is not None or len(record.claims) != 1:
        return False
    rating = record.claims[0]
    for index, earlier in enumerate(records):
        for position, claim in enumerate(earlier.claims):
            if claim.id != rating.id:
                continue
            merged = attrs.evolve(
                claim,
                judgments=_unique((*claim.judgments, *rating.judgments)),
                extensions={**claim.extensions, **rating.extensions},
            )
            claims = list(earlier.claims)
            claims[position] = merged
            records[index] = attrs.evolve(earlier, claims=tuple(claims))
            return True
    return False
