"""The code systems, identifier systems and extensions evigrade's FHIR resources use, and how
evigrade's values map to their codes and back (docs/fhir.md)."""

from __future__ import annotations

from ...domains import DOMAINS

__all__ = [
    "CERTAINTY_RATING",
    "CERTAINTY_TYPE",
    "CLAIM_FIELDS",
    "CLAIM_ID",
    "DESIGN",
    "DIRECTION",
    "DOI",
    "DOMAIN_OF_TYPE",
    "EVIGRADE",
    "EXTENSION",
    "FEVIR_TYPES",
    "GENERAL_SEVCO",
    "MEASURES",
    "NCT",
    "OVERALL",
    "PMID",
    "PUBLICATION_TYPES",
    "RATING_DISPLAY",
    "RATING_IN",
    "RATING_OUT",
    "RISK_COUNTS",
    "RULE_RATER",
    "SEVCO",
    "STUDY_FIELDS",
    "STUDY_ID",
    "TYPE_DISPLAY",
    "VARIABLE_ROLE",
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

TYPE_DISPLAY = {
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
RATING_DISPLAY = {
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
OVERALL = {"High": "high", "Moderate": "moderate", "Low": "low", "Very low": "very-low"}
#: evigrade rating -> certainty-rating code (up-domain ratings that moved nothing: no-change).
RATING_OUT = {
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
RATING_IN: dict[str, dict[str, str]] = {
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
DOMAIN_OF_TYPE = {d.fhir_code: d.name for d in DOMAINS.values()}

#: MEDLINE publication types, strongest design first (docs/fhir.md#citation).
PUBLICATION_TYPES: tuple[tuple[str, str], ...] = (
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
GENERAL_SEVCO = frozenset({"SEVCO:01001", "SEVCO:01002", "SEVCO:01028", "SEVCO:01029"})
MEASURES = (
    ("standardized mean difference", "SMD"),
    ("mean difference", "MD"),
    ("risk difference", "RD"),
    ("relative risk", "RR"),
    ("risk ratio", "RR"),
    ("odds ratio", "OR"),
    ("hazard ratio", "HR"),
)


# Study and link fields carried as extensions: (field, FHIR value type).
STUDY_FIELDS = (
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
CLAIM_FIELDS = (
    ("outcome_kind", "Code"),
    ("outcome_type", "Code"),
    ("species", "String"),
    ("control_risk", "Decimal"),
)
#: The counts of an included-risk-of-bias object.
RISK_COUNTS = ("low", "some_concerns", "high", "critical", "unclear")
