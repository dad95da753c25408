"""The exporter: an evidence file and its grades as a FHIR R5 Bundle of Citation and Evidence
resources, built as plain JSON (docs/fhir.md)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ...domains import DOMAINS
from ...grading import grade_file
from ...kinds import Design, Registry
from ...model import Claim, EvidenceFile, EvidenceLink, Grade, IncludedRiskOfBias, Study
from .codes import (
    CERTAINTY_RATING,
    CERTAINTY_TYPE,
    CLAIM_FIELDS,
    CLAIM_ID,
    DESIGN,
    DIRECTION,
    DOI,
    EVIGRADE,
    EXTENSION,
    FEVIR_TYPES,
    NCT,
    OVERALL,
    PMID,
    RATING_DISPLAY,
    RATING_OUT,
    RISK_COUNTS,
    RULE_RATER,
    SEVCO,
    STUDY_FIELDS,
    STUDY_ID,
    TYPE_DISPLAY,
    VARIABLE_ROLE,
)

__all__ = [
    "export_bundle",
    "fhir_id",
]


_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def _ext_url(name: str) -> str:
    return f"{EXTENSION}/{name.replace('_', '-')}"


def _ext(name: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": _ext_url(name), f"value{kind}": value}


def _complex(name: str, parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"url": _ext_url(name), "extension": list(parts)}


def _included_risk(counts: IncludedRiskOfBias) -> dict[str, Any]:
    parts = [_part("tool", "Code", counts.tool)] if counts.tool is not None else []
    for name in RISK_COUNTS:
        value = getattr(counts, name)
        if value is not None:
            parts.append(_part(name, "Integer", value))
    return _complex("included_risk_of_bias", parts)


def _part(name: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": name, f"value{kind}": value}


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
        for name, kind in STUDY_FIELDS
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
    code = RATING_OUT.get(rating, "no-change")
    if definition.direction == "up" and change == 0 and rating != definition.neutral:
        code = "no-change"  # found, but GRADE did not rate up for it
    component: dict[str, Any] = {}
    if reason:
        component["note"] = [{"text": reason}]
    component["rater"] = rater
    component["type"] = _concept(
        CERTAINTY_TYPE, definition.fhir_code, TYPE_DISPLAY.get(definition.fhir_code)
    )
    component["rating"] = _concept(CERTAINTY_RATING, code, RATING_DISPLAY[code])
    return component


def _certainty(claim: Claim, grade: Grade | None) -> dict[str, Any]:
    overall: dict[str, Any] = {}
    steps = grade.rationale if grade is not None else ()
    label = grade.label if grade is not None else "not graded"
    summary = "; ".join(step.reason for step in steps if step.reason)
    overall["description"] = f"GRADE {label}" + (f": {summary}" if summary else "")
    overall["rater"] = "evigrade (GRADE)"
    overall["type"] = _concept(CERTAINTY_TYPE, "Overall", TYPE_DISPLAY["Overall"])
    code = OVERALL.get(label)
    if code is not None:
        overall["rating"] = _concept(CERTAINTY_RATING, code, RATING_DISPLAY[code])
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
        for name, kind in CLAIM_FIELDS
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
