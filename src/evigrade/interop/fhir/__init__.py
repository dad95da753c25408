"""HL7 FHIR R5 evidence-based medicine (EBM) resources: export to a Bundle, import back.

The exporter writes a Bundle of type ``collection``: a Citation per study and an Evidence per
claim, the Evidence carrying the claim's GRADE certainty (an Overall rating and one
subcomponent per GRADE domain) and referring to the Citations of its studies. The importer
reads Citation, Evidence and ArtifactAssessment (certainty of evidence) resources, alone or in
Bundles. docs/fhir.md says what maps to what, and what a round trip keeps.

The output is plain JSON (no FHIR library at run time); the tests check it against the
``fhir.resources`` R5 models.

The modules, by concern: :mod:`.export` writes the Bundle; :mod:`.reading` reads a file, each
resource through the reader of :mod:`.reader` and the element helpers of :mod:`.elements`; and
:mod:`.codes` holds the code systems and the mapping of evigrade's values to codes both ways.
"""

from __future__ import annotations

from .codes import (
    CERTAINTY_RATING,
    CERTAINTY_TYPE,
    CLAIM_ID,
    DESIGN,
    DIRECTION,
    DOI,
    EVIGRADE,
    EXTENSION,
    FEVIR_TYPES,
    NCT,
    PMID,
    RULE_RATER,
    SEVCO,
    STUDY_ID,
    VARIABLE_ROLE,
)
from .export import export_bundle, fhir_id
from .reading import read_fhir

__all__ = [
    "CERTAINTY_RATING",
    "CERTAINTY_TYPE",
    "CLAIM_ID",
    "DESIGN",
    "DIRECTION",
    "DOI",
    "EVIGRADE",
    "EXTENSION",
    "FEVIR_TYPES",
    "NCT",
    "PMID",
    "RULE_RATER",
    "SEVCO",
    "STUDY_ID",
    "VARIABLE_ROLE",
    "export_bundle",
    "fhir_id",
    "read_fhir",
]
