"""What a PubMed record's design is read from: the publication types (MeSH Publication
Characteristics) in groups, the MeSH headings of animals, and the cues in titles and abstracts
(case-insensitive patterns). :mod:`.design` decides with them (docs/import-pubmed.md).
"""

from __future__ import annotations

import re

__all__ = [
    "ANIMAL_ABSTRACT_COUNT",
    "ANIMAL_ABSTRACT_WORD",
    "ANIMAL_TITLE",
    "BEFORE_AFTER",
    "BEFORE_AFTER_CUE",
    "CASE_CONTROL",
    "CASE_REPORT_ABSTRACT",
    "CASE_REPORT_TITLE",
    "CASE_SERIES",
    "CLUSTER",
    "CONTROLLED",
    "CROSSOVER",
    "CROSSOVER_TITLE",
    "CROSS_SECTIONAL",
    "ECOLOGICAL",
    "GUIDELINES",
    "IN_VITRO",
    "MESH_SPECIES",
    "META_TITLE",
    "NEGATED",
    "NOTICES",
    "NOT_RANDOMIZED",
    "NOT_STUDIES",
    "N_OF_1",
    "OBSERVATIONAL",
    "PILOT",
    "PROSPECTIVE",
    "PROTOCOL_ABSTRACT",
    "PROTOCOL_TITLE",
    "RANDOMIZED",
    "RANDOMIZED_OWN",
    "RCTS",
    "RCT_SET",
    "RETROSPECTIVE",
    "REVIEW_TITLE",
    "SR_OF_ANIMALS",
    "SR_OF_OBSERVATIONAL",
    "SR_OF_RCTS",
    "SR_TITLE",
    "STUDY_TYPES",
    "TITLE_SPECIES",
    "TRIALS",
    "TRIAL_CUE",
    "VETERINARY",
]


# Publication types (MeSH Publication Characteristics), grouped.
NOTICES = {
    "Published Erratum": "erratum",
    "Retraction of Publication": "retraction-notice",
    "Expression of Concern": "expression-of-concern",
}
NOT_STUDIES = {
    "Editorial": "editorial",
    "Comment": "comment",
    "Letter": "letter",
    "News": "news",
    "Newspaper Article": "news",
    "Interview": "interview",
    "Lecture": "lecture",
    "Address": "address",
    "Biography": "biography",
    "Autobiography": "biography",
    "Portrait": "portrait",
    "Historical Article": "historical-article",
    "Personal Narrative": "personal-narrative",
    "Congress": "congress",
    "Patient Education Handout": "patient-education",
}
GUIDELINES = (
    "Practice Guideline",
    "Guideline",
    "Consensus Development Conference",
    "Consensus Development Conference, NIH",
)
RCTS = (
    "Randomized Controlled Trial",
    "Pragmatic Clinical Trial",
    "Equivalence Trial",
    "Randomized Controlled Trial, Veterinary",
)
RCT_SET = frozenset(RCTS)
TRIALS = (
    "Clinical Trial",
    "Clinical Trial, Phase I",
    "Clinical Trial, Phase II",
    "Clinical Trial, Phase III",
    "Clinical Trial, Phase IV",
    "Adaptive Clinical Trial",
    "Clinical Trial, Veterinary",
)
OBSERVATIONAL = ("Observational Study", "Observational Study, Veterinary", "Twin Study")
BEFORE_AFTER = ("Controlled Before-After Study", "Interrupted Time Series Analysis")
#: Publication types that say the article reports a study (or a review or guideline).
STUDY_TYPES = frozenset(
    {*RCTS, *TRIALS, *OBSERVATIONAL, *BEFORE_AFTER, *GUIDELINES}
    | {"Meta-Analysis", "Systematic Review", "Case Reports", "Controlled Clinical Trial"}
)
VETERINARY = frozenset(
    {
        "Randomized Controlled Trial, Veterinary",
        "Clinical Trial, Veterinary",
        "Observational Study, Veterinary",
    }
)

# Animals, by MeSH descriptor (prefix) -> lower-case common name.
MESH_SPECIES: tuple[tuple[str, str], ...] = (
    ("Mice", "mouse"),
    ("Rats", "rat"),
    ("Guinea Pigs", "guinea pig"),
    ("Cricetinae", "hamster"),
    ("Mesocricetus", "hamster"),
    ("Gerbillinae", "gerbil"),
    ("Rabbits", "rabbit"),
    ("Dogs", "dog"),
    ("Cats", "cat"),
    ("Swine", "pig"),
    ("Sus scrofa", "pig"),
    ("Sheep", "sheep"),
    ("Goats", "goat"),
    ("Cattle", "cattle"),
    ("Horses", "horse"),
    ("Chickens", "chicken"),
    ("Macaca", "monkey"),
    ("Primates", "monkey"),
    ("Haplorhini", "monkey"),
    ("Callithrix", "marmoset"),
    ("Zebrafish", "zebrafish"),
    ("Xenopus", "frog"),
    ("Drosophila", "fruit fly"),
    ("Caenorhabditis elegans", "nematode"),
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


NEGATED = _rx(r"(?:\bnon[- ]?|\bnot\s+|\bquasi[- ]|\bun)$")
RANDOMIZED = _rx(r"randomi[sz]ed|randomi[sz]ation|randomly\s+(?:assigned|allocated)")
# In an abstract, "randomized" must describe this study, not the literature.
RANDOMIZED_OWN = _rx(
    r"\b(?:were|was|been|be|we|patients|participants|subjects)\s+(?:\w+\s+)?"
    r"(?:randomi[sz]ed|randomly\s+(?:assigned|allocated))"
    r"|\b(?:this|a|our|the\s+present)\s+(?:\w+[- ]?){0,3}randomi[sz]ed"
    r"|\brandomi[sz]ed\s+(?:\w+[- ]?){0,3}(?:trial|study)\s+(?:was|of|in|to)\b"
)
NOT_RANDOMIZED = _rx(r"\bnon[- ]?randomi[sz]ed|\bquasi[- ](?:experimental|randomi[sz]ed)")
CONTROLLED = _rx(r"\bcontrol\s+(?:group|arm)|(?<!un)controlled\s+(?:clinical\s+)?trial")
CLUSTER = _rx(
    r"\bcluster[- ](?:randomi[sz]|rct|trial|controlled)|\bclusters\s+were\s+randomi[sz]ed"
    r"|\brandomi[sz]ed\s+by\s+(?:cluster|site|practice|school|village|ward)|\bstepped[- ]wedge"
)
CROSSOVER_TITLE = _rx(r"\bcross-?over\b")
CROSSOVER = _rx(
    r"\bcross-?over\s+(?:design|trial|study|fashion|manner)"
    r"|\b(?:randomi[sz]ed|blind(?:ed)?|controlled|two-period|\w+-way|\w+-period),?\s+"
    r"(?:\w+[- ]){0,2}cross-?over\b"
)
N_OF_1 = _rx(r"\bn-of-1\b|\bn\s+of\s+1\s+trial|\bsingle[- ]patient\s+(?:randomi[sz]ed\s+)?trial")
PILOT = _rx(
    r"\bpilot\s+(?:study|trial|randomi[sz]ed|controlled|investigation|phase|project|data)"
    r"|\bpilot,|\bfeasibility\s+(?:study|trial|randomi[sz]ed)|\bpilot\s+and\s+feasibility"
)
PROTOCOL_TITLE = _rx(
    r"\b(?:study|trial|review)\s+protocol\b|\bprotocol\s+(?:for|of)\s+(?:a|an|the)\b"
    r"|^protocol\b|:\s*(?:a\s+)?protocol\b|\bdesign\s+and\s+rationale\b"
    r"|\brationale\s+and\s+design\b|\bprotocol\s+paper\b"
)
PROTOCOL_ABSTRACT = _rx(
    r"\b(?:this|the|our)\s+(?:study\s+|trial\s+)?protocol\s+(?:describes|will|outlines)"
    r"|\bthis\s+(?:paper|article)\s+describes\s+the\s+(?:design|protocol)\b"
)
CASE_CONTROL = _rx(r"\bcase[- ]control\b")
CROSS_SECTIONAL = _rx(
    r"\bcross[- ]sectional\b|\b(?:national|online|web-based|postal|telephone|questionnaire)"
    r"\s+survey\b|\bsurvey\s+(?:study|was\s+conducted|was\s+administered)|\bwe\s+surveyed\b"
)
ECOLOGICAL = _rx(r"\becological\s+(?:study|analysis|design)")
BEFORE_AFTER_CUE = _rx(
    r"\binterrupted\s+time[- ]series|\bbefore[- ]and[- ]after\s+(?:study|design)"
    r"|\bbefore-after\s+(?:study|design)|\bpre[- ]post\s+(?:study|design)|\bquasi[- ]experimental"
)
RETROSPECTIVE = _rx(
    r"\bretrospective(?:ly)?\b|\bchart\s+review|\bmedical\s+records?\s+review"
    r"|\breview\s+of\s+(?:the\s+)?(?:medical\s+|clinical\s+|hospital\s+)?(?:records|charts)"
    r"|\b(?:records|charts)\s+were\s+(?:retrospectively\s+)?reviewed"
    r"|\bregistry[- ]based\b|\bregistry\s+(?:data|study)\b"
    r"|\bfrom\s+(?:a|the)\s+(?:\w+\s+){0,3}registry"
)
PROSPECTIVE = _rx(
    r"\bprospective(?:ly)?[,\s]+(?:\w+[,\s]+){0,2}?(?:cohort|study|studies|observational"
    r"|longitudinal|follow|followed|collected|enrolled|recruited|included|evaluated|analy[sz]ed"
    r"|registered|investigation|comparative|clinical|series)\b"
    r"|\bcohort\s+stud(?:y|ies)\b|\blongitudinal\s+(?:cohort|study)\b"
)
CASE_REPORT_TITLE = _rx(r"\bcase\s+report\b|\ba\s+case\s+of\b|^case\s+of\b|\ba\s+rare\s+case\b")
CASE_REPORT_ABSTRACT = _rx(
    r"\bwe\s+(?:report|present|describe)\s+(?:the\s+case\s+of\s+)?(?:a|an)\s+(?:\d+|[a-z]+)"
    r"[- ](?:year|month|week|day)[- ]old|\bthis\s+case\s+report\b"
    r"|\bwe\s+(?:report|present|describe)\s+(?:a|an)\s+(?:unusual\s+|rare\s+)?case\b"
)
CASE_SERIES = _rx(
    r"\bcase\s+series\b|\bwe\s+(?:report|present|describe)\s+(?:\w+\s+){0,2}"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+){0,2}(?:cases|patients)\b"
)
TRIAL_CUE = _rx(
    r"\bphase\s+(?:i{1,3}|iv|[1-4])[ab]?(?:/(?:i{1,3}|iv|[1-4])[ab]?)?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:trial|study)\b|\bopen[- ]label\b|\bsingle[- ]arm\b"
    r"|\b(?:this|a|an|our|present|prospective|pilot)\s+clinical\s+trial\b"
)
ANIMAL_TITLE = _rx(
    r"\bmice\b|\brats\b|\b(?:mouse|rat|murine|rodent|porcine|canine|ovine|primate)\s+models?\b"
    r"|\bin\s+(?:a\s+)?(?:mouse|rat)\b|\bknockout\s+mice\b"
)
_ANIMALS = r"(?:mice|rats|pigs|piglets|swine|dogs|rabbits|sheep|monkeys|hamsters|zebrafish)"
ANIMAL_ABSTRACT_COUNT = _rx(
    r"(?:\b\d+|\b(?:ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty))\s+(?:\w+\s+){0,2}"
    + _ANIMALS
    + r"\b"
)
ANIMAL_ABSTRACT_WORD = _rx(r"\b" + _ANIMALS + r"\b")
TITLE_SPECIES = (
    (_rx(r"\b(?:mice|mouse|murine)\b"), "mouse"),
    (_rx(r"\brats?\b"), "rat"),
    (_rx(r"\b(?:pigs?|swine|porcine|piglets?)\b"), "pig"),
    (_rx(r"\b(?:dogs?|canine)\b"), "dog"),
    (_rx(r"\brabbits?\b"), "rabbit"),
    (_rx(r"\bzebrafish\b"), "zebrafish"),
)
IN_VITRO = _rx(r"\bin\s+vitro\b|\bcell\s+lines?\b|\bcultured\s+(?:\w+\s+)?cells\b")
META_TITLE = _rx(r"\bmeta-?analys[ie]s\b")
SR_TITLE = _rx(r"\bsystematic\s+(?:literature\s+)?review\b|\bumbrella\s+review\b")
REVIEW_TITLE = _rx(r"\breview\b|\boverview\b|\bstate\s+of\s+the\s+art\b")
SR_OF_RCTS = _rx(r"\brandomi[sz]ed\b|\bRCTs?\b")
SR_OF_ANIMALS = _rx(r"\banimal\s+(?:studies|models|experiments)|\bpreclinical\s+studies\b")
SR_OF_OBSERVATIONAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (_rx(r"\bcohort\s+stud"), "prospective-cohort"),
    (_rx(r"\bobservational\s+stud"), "prospective-cohort"),
    (_rx(r"\bcase[- ]control\s+stud"), "case-control"),
    (_rx(r"\bcross[- ]sectional\s+stud"), "cross-sectional"),
)
