"""One API v2 study record as a study (its protocol section, mapped by :mod:`.design`) and
claims (its posted results, by :mod:`.outcomes`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...model import Claim, Study
from .design import (
    AGENCY_CLASSES,
    ALLOCATIONS,
    BLINDING,
    EXTENSION,
    MASKINGS,
    MODELS,
    OBSERVATIONAL_MODELS,
    PERSPECTIVES,
    PHASES,
    PILOT,
    STATUS,
    STUDY_TYPES,
    STUDY_URL,
    arms_of,
    clustered,
    control_of,
    design_of,
    duration_of,
    funding_of,
)
from .fields import (
    Bad,
    at,
    check,
    get_enum,
    get_object,
    get_objects,
    get_string,
    get_strings,
    get_value,
    member,
)
from .outcomes import claims_of

__all__ = [
    "convert",
]


def convert(record: Any, where: str = "") -> tuple[Study, tuple[Claim, ...]]:
    """One API v2 study -> (study, claims). Raises ``Bad`` for a study it cannot read."""
    record = check(record, "object", where)
    protocol = get_object(record, "protocolSection", where, "the study's protocol section")
    p_where = at(where, "protocolSection")
    ident = get_object(protocol, "identificationModule", p_where, "the identification module")
    i_where = at(p_where, "identificationModule")
    nct = get_string(ident, "nctId", i_where, "the study's NCT number (NCT + 8 digits)")
    assert nct is not None
    if not re.fullmatch(r"NCT[0-9]{8}", nct):
        raise Bad(
            f"nctId {nct!r} is not an NCT number: expected NCT + 8 digits",
            at(i_where, "nctId"),
            "pattern",
        )
    status_module = get_object(protocol, "statusModule", p_where, "the status module")
    s_where = at(p_where, "statusModule")
    overall = get_enum(status_module, "overallStatus", s_where, tuple(STATUS), "the overall status")
    assert overall is not None
    last_known = get_enum(status_module, "lastKnownStatus", s_where, tuple(STATUS))
    design_module = get_object(protocol, "designModule", p_where, "the design module")
    d_where = at(p_where, "designModule")
    study_type = get_enum(design_module, "studyType", d_where, STUDY_TYPES, "the study type")
    assert study_type is not None
    phase_list: list[Any] = get_value(design_module, "phases", d_where, "array") or []
    phases = [
        member(check(phase, "string", pointer).strip(), "phase", pointer, PHASES)
        for i, phase in enumerate(phase_list)
        for pointer in (at(at(d_where, "phases"), i),)
    ]
    info = get_object(design_module, "designInfo", d_where)
    f_where = at(d_where, "designInfo")
    allocation = get_enum(info, "allocation", f_where, ALLOCATIONS)
    model = get_enum(info, "interventionModel", f_where, MODELS)
    model_text = get_string(info, "interventionModelDescription", f_where)
    observational = get_enum(info, "observationalModel", f_where, OBSERVATIONAL_MODELS)
    perspective = get_enum(info, "timePerspective", f_where, PERSPECTIVES)
    purpose = get_string(info, "primaryPurpose", f_where)
    masking_info = get_object(info, "maskingInfo", f_where)
    masking = get_enum(masking_info, "masking", at(f_where, "maskingInfo"), MASKINGS)
    who_masked = get_strings(masking_info, "whoMasked", at(f_where, "maskingInfo"))
    registry_flag = get_value(design_module, "patientRegistry", d_where, "boolean")
    enrollment = get_object(design_module, "enrollmentInfo", d_where)
    e_where = at(d_where, "enrollmentInfo")
    count: int | None = get_value(enrollment, "count", e_where, "integer")
    if count is not None and count < 0:
        raise Bad(f"expected a count >= 0, found {count}", at(e_where, "count"), "minimum")
    enrollment_type = get_string(enrollment, "type", e_where)

    brief_title = get_string(ident, "briefTitle", i_where)
    official_title = get_string(ident, "officialTitle", i_where)
    acronym = get_string(ident, "acronym", i_where)
    conditions_module = get_object(protocol, "conditionsModule", p_where)
    c_where = at(p_where, "conditionsModule")
    conditions = get_strings(conditions_module, "conditions", c_where)
    keywords = get_strings(conditions_module, "keywords", c_where)
    arms = arms_of(protocol, p_where)

    cues = " ".join(filter(None, (official_title, brief_title, model_text, *keywords)))
    design = design_of(study_type, allocation, model, observational, perspective, registry_flag)
    design = clustered(design, cues)
    if design == "non-randomized-trial" and len(arms) == 1:
        design = "single-arm-trial"  # one group: nothing to compare with
    sponsor = get_object(protocol, "sponsorCollaboratorsModule", p_where)
    sp_where = at(p_where, "sponsorCollaboratorsModule")
    lead = get_object(sponsor, "leadSponsor", sp_where)
    lead_class = get_enum(lead, "class", at(sp_where, "leadSponsor"), AGENCY_CLASSES)
    collaborators = [
        get_enum(item, "class", pointer, AGENCY_CLASSES)
        for pointer, item in get_objects(sponsor, "collaborators", sp_where)
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
        "whyStopped": get_string(status_module, "whyStopped", s_where),
        "leadSponsor": {
            "name": get_string(lead, "name", at(sp_where, "leadSponsor")),
            "class": lead_class,
        }
        if lead
        else None,
        "collaboratorClasses": sorted({c for c in collaborators if c}) or None,
        "acronym": acronym,
        "briefTitle": brief_title if official_title else None,
        "hasResults": get_value(record, "hasResults", where, "boolean"),
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
        pilot=True if purpose == "DEVICE_FEASIBILITY" or PILOT.search(cues) else None,
        randomized=allocation == "RANDOMIZED" if study_type == "INTERVENTIONAL" else False,
        blinding=BLINDING[masking] if masking is not None else None,
        control=control_of(design, arms),
        duration=duration_of(protocol, p_where),
        status=status,
        funding=funding_of(lead_class, collaborators),
        extensions={EXTENSION: {k: v for k, v in extension.items() if v is not None}},
    )
    claims = claims_of(record, where, study, arms, conditions)
    return study, claims


def _posted(record: Mapping[str, Any], where: str) -> bool:
    """Whether the study has posted results: an outcome measure with data or an analysis."""
    results = get_object(record, "resultsSection", where)
    r_where = at(where, "resultsSection")
    module = get_object(results, "outcomeMeasuresModule", r_where)
    m_where = at(r_where, "outcomeMeasuresModule")
    return any(
        get_string(outcome, "reportingStatus", pointer) != "NOT_POSTED"
        and bool(outcome.get("classes") or outcome.get("analyses"))
        for pointer, outcome in get_objects(module, "outcomeMeasures", m_where)
    )
