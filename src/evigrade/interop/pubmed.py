"""The ``pubmed`` importer: MEDLINE / PubMed XML (plain or gzip) into studies.

Reads ``MedlineCitationSet`` (the MEDLINE baseline and update files) and ``PubmedArticleSet``
(PubMed's E-utilities and "Save > XML"), streamed record by record with expat, so a 30,000-article
baseline file is imported in bounded memory. Each article becomes one study with id
``pmid-<PMID>``; its design is read from the publication types, refined by cues in the title,
abstract and MeSH headings. The mapping, and the reasons for it, are in docs/import-pubmed.md.

Nothing is guessed: a study size comes only from a clear statement in the abstract ("40
patients", "n = 215", "215 participants were randomized"), otherwise it is ``null`` ("not
reported"). Articles that are not studies (editorials, comments, letters, news, errata) are
kept as ``expert-opinion`` and say what they are in ``x-pubmed``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..kinds import ImportRecord
from ..model import Study
from ..problems import Problem

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = [
    "Classification",
    "classify",
    "extract_n",
    "read_pubmed",
]

#: Root elements of the files we read, and the record elements under them.
_SETS = frozenset({"MedlineCitationSet", "PubmedArticleSet", "PubmedBookArticleSet"})
_RECORDS = frozenset({"MedlineCitation", "PubmedArticle", "PubmedBookArticle"})
#: Children of a set that are not articles (deletion lists in baseline update files).
_NOT_RECORDS = frozenset({"DeleteCitation", "DeleteDocument"})

#: Parts of a record that nothing here reads: not built, to save time and memory.
_UNUSED = frozenset(
    {
        "ReferenceList",
        "AffiliationInfo",
        "GrantList",
        "ChemicalList",
        "History",
        "KeywordList",
        "SupplMeshList",
        "InvestigatorList",
        "OtherAbstract",
        "GeneSymbolList",
        "PersonalNameSubjectList",
        "Pagination",
        "DateCompleted",
        "DateRevised",
        "DateCreated",
        "Identifier",
    }
)
_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"


# -- classification ---------------------------------------------------------------------------


@attrs.frozen
class Classification:
    """The design of one article, and the other study fields that its type decides."""

    design: str
    basis: str
    article_type: str | None = None
    species: str | None = None
    pilot: bool | None = None
    randomized: bool | None = None
    status: str | None = None
    of: str | None = None


# Publication types (MeSH Publication Characteristics), grouped.
_NOTICES = {
    "Published Erratum": "erratum",
    "Retraction of Publication": "retraction-notice",
    "Expression of Concern": "expression-of-concern",
}
_NOT_STUDIES = {
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
_GUIDELINES = (
    "Practice Guideline",
    "Guideline",
    "Consensus Development Conference",
    "Consensus Development Conference, NIH",
)
_RCTS = (
    "Randomized Controlled Trial",
    "Pragmatic Clinical Trial",
    "Equivalence Trial",
    "Randomized Controlled Trial, Veterinary",
)
_RCT_SET = frozenset(_RCTS)
_TRIALS = (
    "Clinical Trial",
    "Clinical Trial, Phase I",
    "Clinical Trial, Phase II",
    "Clinical Trial, Phase III",
    "Clinical Trial, Phase IV",
    "Adaptive Clinical Trial",
    "Clinical Trial, Veterinary",
)
_OBSERVATIONAL = ("Observational Study", "Observational Study, Veterinary", "Twin Study")
_BEFORE_AFTER = ("Controlled Before-After Study", "Interrupted Time Series Analysis")
#: Publication types that say the article reports a study (or a review or guideline).
_STUDY_TYPES = frozenset(
    {*_RCTS, *_TRIALS, *_OBSERVATIONAL, *_BEFORE_AFTER, *_GUIDELINES}
    | {"Meta-Analysis", "Systematic Review", "Case Reports", "Controlled Clinical Trial"}
)
_VETERINARY = frozenset(
    {
        "Randomized Controlled Trial, Veterinary",
        "Clinical Trial, Veterinary",
        "Observational Study, Veterinary",
    }
)

# Animals, by MeSH descriptor (prefix) -> lower-case common name.
_MESH_SPECIES: tuple[tuple[str, str], ...] = (
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


_NEGATED = _rx(r"(?:\bnon[- ]?|\bnot\s+|\bquasi[- ]|\bun)$")
_RANDOMIZED = _rx(r"randomi[sz]ed|randomi[sz]ation|randomly\s+(?:assigned|allocated)")
# In an abstract, "randomized" must describe this study, not the literature.
_RANDOMIZED_OWN = _rx(
    r"\b(?:were|was|been|be|we|patients|participants|subjects)\s+(?:\w+\s+)?"
    r"(?:randomi[sz]ed|randomly\s+(?:assigned|allocated))"
    r"|\b(?:this|a|our|the\s+present)\s+(?:\w+[- ]?){0,3}randomi[sz]ed"
    r"|\brandomi[sz]ed\s+(?:\w+[- ]?){0,3}(?:trial|study)\s+(?:was|of|in|to)\b"
)
_NOT_RANDOMIZED = _rx(r"\bnon[- ]?randomi[sz]ed|\bquasi[- ](?:experimental|randomi[sz]ed)")
_CONTROLLED = _rx(r"\bcontrol\s+(?:group|arm)|(?<!un)controlled\s+(?:clinical\s+)?trial")
_CLUSTER = _rx(
    r"\bcluster[- ](?:randomi[sz]|rct|trial|controlled)|\bclusters\s+were\s+randomi[sz]ed"
    r"|\brandomi[sz]ed\s+by\s+(?:cluster|site|practice|school|village|ward)|\bstepped[- ]wedge"
)
_CROSSOVER_TITLE = _rx(r"\bcross-?over\b")
_CROSSOVER = _rx(
    r"\bcross-?over\s+(?:design|trial|study|fashion|manner)"
    r"|(?:randomi[sz]ed|blind(?:ed)?|controlled|two-period|\w+-way|\w+-period),?\s+"
    r"(?:\w+[- ]){0,2}cross-?over\b"
)
_N_OF_1 = _rx(r"\bn-of-1\b|\bn\s+of\s+1\s+trial|\bsingle[- ]patient\s+(?:randomi[sz]ed\s+)?trial")
_PILOT = _rx(
    r"\bpilot\s+(?:study|trial|randomi[sz]ed|controlled|investigation|phase|project|data)"
    r"|\bpilot,|\bfeasibility\s+(?:study|trial|randomi[sz]ed)|\bpilot\s+and\s+feasibility"
)
_PROTOCOL_TITLE = _rx(
    r"\b(?:study|trial|review)\s+protocol\b|\bprotocol\s+(?:for|of)\s+(?:a|an|the)\b"
    r"|^protocol\b|:\s*(?:a\s+)?protocol\b|\bdesign\s+and\s+rationale\b"
    r"|\brationale\s+and\s+design\b|\bprotocol\s+paper\b"
)
_PROTOCOL_ABSTRACT = _rx(
    r"\b(?:this|the|our)\s+(?:study\s+|trial\s+)?protocol\s+(?:describes|will|outlines)"
    r"|\bthis\s+(?:paper|article)\s+describes\s+the\s+(?:design|protocol)\b"
)
_CASE_CONTROL = _rx(r"\bcase[- ]control\b")
_CROSS_SECTIONAL = _rx(
    r"\bcross[- ]sectional\b|\b(?:national|online|web-based|postal|telephone|questionnaire)"
    r"\s+survey\b|\bsurvey\s+(?:study|was\s+conducted|was\s+administered)|\bwe\s+surveyed\b"
)
_ECOLOGICAL = _rx(r"\becological\s+(?:study|analysis|design)")
_BEFORE_AFTER_CUE = _rx(
    r"\binterrupted\s+time[- ]series|\bbefore[- ]and[- ]after\s+(?:study|design)"
    r"|\bbefore-after\s+(?:study|design)|\bpre[- ]post\s+(?:study|design)|\bquasi[- ]experimental"
)
_RETROSPECTIVE = _rx(
    r"\bretrospective(?:ly)?\b|\bchart\s+review|\bmedical\s+records?\s+review"
    r"|\breview\s+of\s+(?:the\s+)?(?:medical\s+|clinical\s+|hospital\s+)?(?:records|charts)"
    r"|\b(?:records|charts)\s+were\s+(?:retrospectively\s+)?reviewed"
    r"|\bregistry[- ]based\b|\bregistry\s+(?:data|study)\b"
    r"|\bfrom\s+(?:a|the)\s+(?:\w+\s+){0,3}registry"
)
_PROSPECTIVE = _rx(
    r"\bprospective(?:ly)?[,\s]+(?:\w+[,\s]+){0,2}?(?:cohort|study|studies|observational"
    r"|longitudinal|follow|followed|collected|enrolled|recruited|included|evaluated|analy[sz]ed"
    r"|registered|investigation|comparative|clinical|series)\b"
    r"|\bcohort\s+stud(?:y|ies)\b|\blongitudinal\s+(?:cohort|study)\b"
)
_CASE_REPORT_TITLE = _rx(r"\bcase\s+report\b|\ba\s+case\s+of\b|^case\s+of\b|\ba\s+rare\s+case\b")
_CASE_REPORT_ABSTRACT = _rx(
    r"\bwe\s+(?:report|present|describe)\s+(?:the\s+case\s+of\s+)?(?:a|an)\s+(?:\d+|[a-z]+)"
    r"[- ](?:year|month|week|day)[- ]old|\bthis\s+case\s+report\b"
    r"|\bwe\s+(?:report|present|describe)\s+(?:a|an)\s+(?:unusual\s+|rare\s+)?case\b"
)
_CASE_SERIES = _rx(
    r"\bcase\s+series\b|\bwe\s+(?:report|present|describe)\s+(?:\w+\s+){0,2}"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+){0,2}(?:cases|patients)\b"
)
_TRIAL_CUE = _rx(
    r"\bphase\s+(?:i{1,3}|iv|[1-4])[ab]?(?:/(?:i{1,3}|iv|[1-4])[ab]?)?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:trial|study)\b|\bopen[- ]label\b|\bsingle[- ]arm\b"
    r"|\b(?:this|a|an|our|present|prospective|pilot)\s+clinical\s+trial\b"
)
_ANIMAL_TITLE = _rx(
    r"\bmice\b|\brats\b|\b(?:mouse|rat|murine|rodent|porcine|canine|ovine|primate)\s+models?\b"
    r"|\bin\s+(?:a\s+)?(?:mouse|rat)\b|\bknockout\s+mice\b"
)
_ANIMALS = r"(?:mice|rats|pigs|piglets|swine|dogs|rabbits|sheep|monkeys|hamsters|zebrafish)"
_ANIMAL_ABSTRACT_COUNT = _rx(
    r"(?:\b\d+|\b(?:ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty))\s+(?:\w+\s+){0,2}"
    + _ANIMALS
    + r"\b"
)
_ANIMAL_ABSTRACT_WORD = _rx(r"\b" + _ANIMALS + r"\b")
_TITLE_SPECIES = (
    (_rx(r"\b(?:mice|mouse|murine)\b"), "mouse"),
    (_rx(r"\brats?\b"), "rat"),
    (_rx(r"\b(?:pigs?|swine|porcine|piglets?)\b"), "pig"),
    (_rx(r"\b(?:dogs?|canine)\b"), "dog"),
    (_rx(r"\brabbits?\b"), "rabbit"),
    (_rx(r"\bzebrafish\b"), "zebrafish"),
)
_IN_VITRO = _rx(r"\bin\s+vitro\b|\bcell\s+lines?\b|\bcultured\s+(?:\w+\s+)?cells\b")
_META_TITLE = _rx(r"\bmeta-?analys[ie]s\b")
_SR_TITLE = _rx(r"\bsystematic\s+(?:literature\s+)?review\b|\bumbrella\s+review\b")
_REVIEW_TITLE = _rx(r"\breview\b|\boverview\b|\bstate\s+of\s+the\s+art\b")
_SR_OF_RCTS = _rx(r"\brandomi[sz]ed\b|\bRCTs?\b")
_SR_OF_ANIMALS = _rx(r"\banimal\s+(?:studies|models|experiments)|\bpreclinical\s+studies\b")
_SR_OF_OBSERVATIONAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (_rx(r"\bcohort\s+stud"), "prospective-cohort"),
    (_rx(r"\bobservational\s+stud"), "prospective-cohort"),
    (_rx(r"\bcase[- ]control\s+stud"), "case-control"),
    (_rx(r"\bcross[- ]sectional\s+stud"), "cross-sectional"),
)


def _affirmed(pattern: re.Pattern[str], text: str) -> str | None:
    """The first match of ``pattern`` in ``text`` not negated ("non-", "not ", "quasi-")."""
    for match in pattern.finditer(text):
        if not _NEGATED.search(text[max(0, match.start() - 7) : match.start()]):
            return match.group(0)
    return None


def _first(pattern: re.Pattern[str], *texts: str) -> str | None:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def _mesh_species(mesh: Sequence[str]) -> str | None:
    for heading in mesh:
        for prefix, name in _MESH_SPECIES:
            if heading == prefix or heading.startswith(prefix + ","):
                return name
            if heading.startswith(prefix + " ") and prefix in ("Macaca", "Drosophila", "Xenopus"):
                return name
    return None


def _title_species(title: str) -> str | None:
    found = [(m.start(), name) for rx, name in _TITLE_SPECIES if (m := rx.search(title))]
    return min(found)[1] if found else None


def _animal(title: str, abstract: str, mesh: Sequence[str], labelled: bool) -> str | None:
    """Why this is an animal study, or ``None``.

    MeSH ``Animals`` without ``Humans`` and animal words in the title always count; animals
    counted in the abstract count only for articles whose type says nothing of humans.
    """
    headings = set(mesh)
    if "Animals" in headings and "Humans" not in headings:
        return "MeSH Animals (not Humans)"
    cue = _first(_ANIMAL_TITLE, title)
    if cue:
        return f"title cue {cue!r}"
    if not labelled and "Humans" not in headings:
        counted = _first(_ANIMAL_ABSTRACT_COUNT, abstract)
        if counted:
            return f"abstract cue {counted!r}"
        if len(_ANIMAL_ABSTRACT_WORD.findall(abstract)) >= 2:
            return f"abstract cue {_first(_ANIMAL_ABSTRACT_WORD, abstract)!r}"
    return None


def _species(title: str, abstract: str, mesh: Sequence[str]) -> str | None:
    return _title_species(title) or _mesh_species(mesh) or _title_species(abstract)


def _randomized_design(
    title: str, abstract: str, mesh: Sequence[str], basis: str
) -> tuple[str, str]:
    """rct, or the kind of randomized trial the cues say it is."""
    cue = _first(_N_OF_1, title, abstract)
    if cue:
        return "n-of-1-trial", f"{basis}; cue {cue!r}"
    cue = _first(_CLUSTER, title, abstract)
    if cue:
        return "cluster-rct", f"{basis}; cue {cue!r}"
    cue = _first(_CROSSOVER_TITLE, title) or _first(_CROSSOVER, abstract)
    if cue:
        return "crossover-rct", f"{basis}; cue {cue!r}"
    if "Cross-Over Studies" in mesh:
        return "crossover-rct", f"{basis}; MeSH 'Cross-Over Studies'"
    return "rct", basis


def _trial_design(title: str, abstract: str, mesh: Sequence[str], basis: str) -> tuple[str, str]:
    """A trial whose type does not say randomized: rct only if the text says so."""
    text = f"{title} {abstract}"
    cue = _affirmed(_RANDOMIZED, title) or (
        _affirmed(_RANDOMIZED_OWN, abstract) if not _NOT_RANDOMIZED.search(text) else None
    )
    if cue:
        return _randomized_design(title, abstract, mesh, f"{basis}; cue {cue!r}")
    cue = _first(_NOT_RANDOMIZED, title, abstract) or _first(_CONTROLLED, title, abstract)
    if cue:
        return "non-randomized-trial", f"{basis}; cue {cue!r}"
    return "single-arm-trial", f"{basis}; no control arm stated"


def _observational_design(
    title: str, abstract: str, mesh: Sequence[str], basis: str, default: str | None
) -> tuple[str, str] | None:
    cues = (
        (_CASE_CONTROL, "case-control"),
        (_CROSS_SECTIONAL, "cross-sectional"),
        (_ECOLOGICAL, "ecological"),
        (_BEFORE_AFTER_CUE, "interrupted-time-series"),
        (_RETROSPECTIVE, "retrospective-cohort"),
        (_PROSPECTIVE, "prospective-cohort"),
    )
    for pattern, design in cues:
        cue = _first(pattern, title, abstract)
        if cue:
            return design, f"{basis}cue {cue!r}"
    headings = (
        ("Case-Control Studies", "case-control"),
        ("Cross-Sectional Studies", "cross-sectional"),
        ("Retrospective Studies", "retrospective-cohort"),
        ("Prospective Studies", "prospective-cohort"),
        ("Cohort Studies", "prospective-cohort"),
        ("Longitudinal Studies", "prospective-cohort"),
    )
    for heading, design in headings:
        if heading in mesh:
            return design, f"{basis}MeSH {heading!r}"
    if default is not None:
        return default, f"{basis}no further design stated"
    return None


def _review_of(abstract: str, title: str) -> str | None:
    """The design a systematic review or meta-analysis includes, where it says."""
    text = f"{title} {abstract}"
    if _SR_OF_ANIMALS.search(text) and not _SR_OF_RCTS.search(text):
        return "animal"
    for pattern, design in _SR_OF_OBSERVATIONAL:
        if pattern.search(text):
            return design
    return None


def classify(
    publication_types: Iterable[str],
    title: str = "",
    abstract: str = "",
    mesh: Iterable[str] = (),
) -> Classification:
    """The design of an article from its publication types, title, abstract and MeSH headings.

    Precedence (docs/import-pubmed.md): notices (errata, retraction notices), then study
    protocols, then the strongest study publication type, then editorials / comments / letters
    / news, then cues in the title and abstract of articles typed only "Journal Article".
    """
    types = list(publication_types)
    headings = list(mesh)
    kinds = set(types)
    retracted = "Retracted Publication" in kinds
    status = "retracted" if retracted else None

    for ptype, article_type in _NOTICES.items():
        if ptype in kinds:
            return Classification(
                "expert-opinion", f"publication type {ptype!r}", article_type, status=status
            )

    def done(design: str, basis: str, **extra: Any) -> Classification:
        pilot = None
        if design not in ("case-report", "expert-opinion", "narrative-review", "guideline"):
            cue = _first(_PILOT, title, abstract)
            if cue or "Pilot Projects" in headings or "Feasibility Studies" in headings:
                pilot = True
        return Classification(
            design, basis, pilot=pilot, status=extra.pop("status", status), **extra
        )

    study_types = _STUDY_TYPES
    not_study = [ptype for ptype in types if ptype in _NOT_STUDIES]
    only_opinion = bool(not_study) and not (kinds & study_types)

    # Protocols: a plan with no results, whatever trial it plans.
    protocol = "Clinical Trial Protocol" in kinds
    cue = (
        None if protocol else _first(_PROTOCOL_TITLE, title) or _first(_PROTOCOL_ABSTRACT, abstract)
    )
    if (protocol or cue) and not only_opinion:
        randomized = bool(kinds & _RCT_SET) or bool(_affirmed(_RANDOMIZED, title))
        basis = "publication type 'Clinical Trial Protocol'" if protocol else f"title cue {cue!r}"
        return done(
            "protocol",
            basis,
            randomized=True if randomized else None,
            status=status or "planned",
        )

    labelled = bool(kinds & study_types)
    animal = _animal(title, abstract, headings, labelled)

    if "Meta-Analysis" in kinds:
        return done(
            "meta-analysis", "publication type 'Meta-Analysis'", of=_review_of(abstract, title)
        )
    if "Systematic Review" in kinds:
        return done(
            "systematic-review",
            "publication type 'Systematic Review'",
            of=_review_of(abstract, title),
        )
    for ptype in _GUIDELINES:
        if ptype in kinds:
            return done("guideline", f"publication type {ptype!r}")

    veterinary = bool(kinds & _VETERINARY)
    if not labelled:
        for ptype in ("Scoping Review", "Review"):
            if ptype in kinds:
                return done("narrative-review", f"publication type {ptype!r}")
    if (veterinary or animal) and not only_opinion:
        why = animal or "veterinary publication type"
        randomized = bool(kinds & _RCT_SET) or bool(
            _affirmed(_RANDOMIZED, title) or _affirmed(_RANDOMIZED_OWN, abstract)
        )
        return done(
            "animal",
            why,
            species=_species(title, abstract, headings),
            randomized=True if randomized else None,
        )

    for ptype in _RCTS:
        if ptype in kinds:
            design, basis = _randomized_design(
                title, abstract, headings, f"publication type {ptype!r}"
            )
            return done(design, basis)
    if "Controlled Clinical Trial" in kinds:
        design, basis = _trial_design(
            title, abstract, headings, "publication type 'Controlled Clinical Trial'"
        )
        if design == "single-arm-trial":
            design, basis = "non-randomized-trial", "publication type 'Controlled Clinical Trial'"
        return done(design, basis)
    for ptype in _TRIALS:
        if ptype in kinds:
            design, basis = _trial_design(title, abstract, headings, f"publication type {ptype!r}")
            return done(design, basis)
    for ptype in _BEFORE_AFTER:
        if ptype in kinds:
            return done("interrupted-time-series", f"publication type {ptype!r}")
    for ptype in _OBSERVATIONAL:
        if ptype in kinds:
            found = _observational_design(
                title, abstract, headings, f"publication type {ptype!r}; ", "cross-sectional"
            )
            assert found is not None
            return done(*found)
    if "Case Reports" in kinds:
        cue = _first(_CASE_SERIES, title, abstract)
        if cue:
            return done("case-series", f"publication type 'Case Reports'; cue {cue!r}")
        return done("case-report", "publication type 'Case Reports'")

    if not_study:
        ptype = not_study[0]
        return done(
            "expert-opinion", f"publication type {ptype!r}", article_type=_NOT_STUDIES[ptype]
        )

    return _from_cues(title, abstract, headings, done)


def _from_cues(
    title: str,
    abstract: str,
    mesh: Sequence[str],
    done: Callable[..., Classification],
) -> Classification:
    """The design of an article whose publication types say only "Journal Article"."""
    cue = _first(_META_TITLE, title)
    if cue:
        return done("meta-analysis", f"title cue {cue!r}", of=_review_of(abstract, title))
    cue = _first(_SR_TITLE, title)
    if cue:
        return done("systematic-review", f"title cue {cue!r}", of=_review_of(abstract, title))
    cue = _affirmed(_RANDOMIZED, title) or _affirmed(_RANDOMIZED_OWN, abstract)
    if cue and not _first(_NOT_RANDOMIZED, title, abstract):
        return done(*_randomized_design(title, abstract, mesh, f"cue {cue!r}"))
    cue = _first(_CASE_REPORT_TITLE, title) or _first(_CASE_REPORT_ABSTRACT, abstract)
    if cue:
        return done("case-report", f"cue {cue!r}")
    cue = _first(_CASE_SERIES, title, abstract)
    if cue:
        return done("case-series", f"cue {cue!r}")
    cue = _first(_TRIAL_CUE, title, abstract)
    if cue:
        return done(*_trial_design(title, abstract, mesh, f"cue {cue!r}"))
    found = _observational_design(title, abstract, mesh, "", None)
    if found is not None:
        return done(*found)
    cue = _first(_REVIEW_TITLE, title)
    if cue:
        return done("narrative-review", f"title cue {cue!r}")
    cue = _first(_IN_VITRO, title)
    headings = set(mesh)
    if cue and "Humans" not in headings:
        return done("in-vitro", f"title cue {cue!r}")
    if headings and not headings & {"Humans", "Animals"}:
        return done("in-vitro", "MeSH headings name neither Humans nor Animals")
    return done("case-series", "no design stated: the weakest design with participants")


# -- study size -------------------------------------------------------------------------------

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_BELOW_100 = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(list(_UNITS)[:9]) + r"))?"
    r"|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)
_WORD_NUMBER = _WORD_BELOW_100 + r"(?:[- ]hundred(?:[- ](?:and[- ])?" + _WORD_BELOW_100 + r")?)?\b"
_NUM = (
    r"(?P<num>(?=[\dotfsen])(?:(?<![\d.,/-])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d.%]|,\d)|\b"
    + _WORD_NUMBER
    + r"))"
)
_PEOPLE = (
    r"(?:patients|participants|subjects|adults|children|adolescents|infants|neonates|newborns"
    r"|women|men|girls|boys|individuals|persons|people|volunteers|students|smokers|veterans"
    r"|residents|respondents|survivors|mothers|pregnant\s+women|athletes|workers|nurses"
    r"|physicians|employees|outpatients|inpatients|recipients|users|members|couples|families"
    r"|mice|rats|animals|dogs|cats|pigs|piglets|rabbits|sheep|monkeys|horses|cows|calves"
    r"|donors)\b"
)
_STOP = (
    r"(?:of|per|and|or|to|in|with|from|for|at|on|by|were|was|had|have|who|that|the|year|years"
    r"|month|months|week|weeks|day|days|hour|hours|groups?|arms?|times|more|than|fewer|less"
    r"|additional|other|remaining|further|these|those|such|all|cases|controls|mg|kg|ml)\b"
)
_ADJ = r"(?:(?!" + _STOP + r")[a-z][a-z'-]*,?\s+){0,3}"
_GROUP = _NUM + r"\s+" + _ADJ + r"(?P<who>" + _PEOPLE + r")"
_VERBS = (
    r"(?:randomi[sz]ed|randomly\s+(?:assigned|allocated)|enrolled|included|recruited|studied"
    r"|allocated|assigned|followed|participated|took\s+part|entered|examined|evaluated"
    r"|investigated|surveyed|interviewed|treated|underwent)"
)
# Sizes are looked for only where a number starts (found cheaply), with patterns anchored there:
# what comes before the number, the number and who it counts, and what comes after.
_NUM_AT = _rx(_NUM)
_GROUP_AT = _rx(_GROUP)
_DIGIT_RUN = re.compile(r"(?<![\d.,])\d")
_NUMBER_WORDS = (*_UNITS, *_TENS)
_TOTAL_BEFORE = _rx(r"\btotal\s+of\s+$")
_VERB_AFTER = _rx(r"\s+(?:\w+\s+){0,2}?(?:were\s+|was\s+|had\s+been\s+|have\s+been\s+)?" + _VERBS)
_VERB_BEFORE = _rx(
    r"\b(?:enrolled|randomi[sz]ed|recruited|included|studied|examined|evaluated|surveyed"
    r"|followed|investigated|interviewed|assigned|involved|comprised|comprising|consisted\s+of"
    r"|analy[sz]ed\s+data\s+(?:from|on)|data\s+(?:from|on))\s+(?:a\s+total\s+of\s+)?$"
)
_COUNT_BEFORE = _rx(
    r"(?:[.;:,]\s+|\band\s+|\b(?:of\s+(?:these|them|those|whom)|overall|in\s+total"
    r"|altogether),?\s+)$"
)
_WERE_AFTER = _rx(r"\s+(?:were|was)\s+(?:randomi[sz]ed|randomly|enrolled|recruited)")
_N_EQUALS = _rx(r"(?<![\w])n\s*=\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\d.,])")
_PER_GROUP = _rx(r"^\s*\)?\s*(?:per|in\s+each|each|in\s+every|in\s+both|per\s+arm)\b")
_SCREENED = _rx(
    r"^\s*(?:\w+\s+){0,2}?(?:were\s+|was\s+)?(?:screened|assessed\s+for\s+eligibility"
    r"|invited|approached|contacted|eligible|excluded|declined|withdrew|dropped|died|lost)"
)
_AND_MORE = _rx(r"^\s*(?:\([^)]*\)\s*)?(?:and|plus|,)\s+(?:\d|" + _WORD_NUMBER + r")")
_YEAR_BEFORE = _rx(r"\b(?:in|since|during|from|until|by|between|of|and)\s+$")


def _number(text: str) -> int | None:
    text = text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    total = 0
    for part in re.split(r"[- ]+", text):
        if part in _TENS:
            total += _TENS[part]
        elif part in _UNITS:
            total += _UNITS[part]
        elif part == "hundred":
            total *= 100
        elif part != "and":
            return None
    return total or None


def _starts(text: str) -> list[int]:
    """Where a number (digits, or a number word) may start in ``text``."""
    found = {match.start() for match in _DIGIT_RUN.finditer(text)}
    lower = text.lower()
    for word in _NUMBER_WORDS:
        at = lower.find(word)
        while at >= 0:
            if at == 0 or not lower[at - 1].isalnum():
                found.add(at)
            at = lower.find(word, at + 1)
    return sorted(found)


def _size(text: str, match: re.Match[str]) -> int | None:
    """The count a match states, unless it is a year, per group, or one of several counts."""
    raw = match.group("num")
    value = _number(raw)
    if value is None or value < 1:
        return None
    start = match.start("num")
    if (
        raw.isdigit()
        and len(raw) == 4
        and 1900 <= value <= 2100
        and _YEAR_BEFORE.search(text[max(0, start - 9) : start])
    ):
        return None
    after = text[match.end() : match.end() + 60]
    if _PER_GROUP.search(after) or _AND_MORE.search(after):
        return None
    return value


def extract_n(abstract: str) -> tuple[int, str] | None:
    """The number enrolled, and the words that state it, or ``None`` when no clear statement.

    In order: "a total of N <people>"; the first of "N <people> were randomized / enrolled /
    included ...", "we enrolled N <people>", "N were randomized"; a single "n = N"; otherwise
    the first "N <people>" when no later count of people is larger. Counts per group, of
    people screened or excluded, several counts in a row ("12 patients and 30 controls"), and
    years ("in 2010 patients ...") are not sizes.
    """
    text = " ".join(abstract.split())
    total: tuple[int, str] | None = None
    strong: tuple[int, str] | None = None
    weak: list[tuple[int, str]] = []
    for start in _starts(text):
        before = text[max(0, start - 40) : start]
        group = _GROUP_AT.match(text, start)
        if group is not None:
            value = _size(text, group)
            if value is None:
                continue
            words = group.group(0)
            if total is None and _TOTAL_BEFORE.search(before):
                total = (value, f"total of {words}")
            if strong is None:
                verb = _VERB_AFTER.match(text, group.end())
                if verb is not None:
                    strong = (value, words + verb.group(0))
                elif _VERB_BEFORE.search(before):
                    strong = (value, words)
            if not _SCREENED.search(text[group.end() : group.end() + 60]):
                weak.append((value, words))
            continue
        number = _NUM_AT.match(text, start)
        if number is None or strong is not None:
            continue
        were = _WERE_AFTER.match(text, number.end())
        if were is None or not _COUNT_BEFORE.search(". " + before if start < 40 else before):
            continue
        value = _size(text, number)
        if value is not None:
            strong = (value, number.group(0) + were.group(0))
    if total is not None:
        return total
    if strong is not None:
        return strong
    equals = [
        (value, match.group(0))
        for match in _N_EQUALS.finditer(text)
        if (value := _size(text, match)) is not None
    ]
    if equals:
        return equals[0] if len(equals) == 1 else None
    if weak and weak[0][0] >= max(value for value, _ in weak):
        return weak[0]
    return None


# -- reading XML ------------------------------------------------------------------------------


class _RecordError(ValueError):
    """A record that is well-formed XML but not a citation we can read."""


def _find(element: Element | None, path: str) -> Element | None:
    """``element.find(path)`` for a path of plain tags, one step at a time (in C, and faster)."""
    for tag in path.split("/"):
        if element is None:
            return None
        element = element.find(tag)
    return element


def _findall(element: Element, path: str) -> Iterator[Element]:
    """``element.iterfind(path)`` for a path of plain tags."""
    first, _, rest = path.partition("/")
    for child in element.findall(first):
        if rest:
            yield from _findall(child, rest)
        else:
            yield child


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _year(article: Element | None, citation: Element) -> int | None:
    candidates: list[Element | None] = []
    if article is not None:
        candidates += [
            _find(article, "Journal/JournalIssue/PubDate/Year"),
            _find(article, "Journal/JournalIssue/PubDate/MedlineDate"),
            _find(article, "ArticleDate/Year"),
        ]
    candidates += [
        _find(citation, "Book/PubDate/Year"),
        _find(citation, "Book/PubDate/MedlineDate"),
    ]
    for element in candidates:
        match = re.search(r"\b(1[6-9]\d\d|2[01]\d\d)\b", _text(element))
        if match:
            return int(match.group(1))
    return None


def _authors(container: Element | None) -> tuple[str, ...]:
    if container is None:
        return ()
    names: list[str] = []
    for author_list in container.findall("AuthorList"):
        if author_list.get("Type", "authors") != "authors":
            continue
        for author in author_list.findall("Author"):
            if author.get("ValidYN", "Y") == "N":
                continue
            collective = _text(author.find("CollectiveName"))
            last = _text(author.find("LastName"))
            if not last:
                if collective:
                    names.append(collective)
                continue
            initials = _text(author.find("Initials"))
            if not initials:
                fore = _text(author.find("ForeName"))
                initials = "".join(part[0] for part in re.split(r"[\s-]+", fore) if part)
            names.append(f"{last}, {initials}" if initials else last)
    return tuple(names)


def _doi(record: Element, article: Element | None) -> str | None:
    candidates: list[str] = []
    if article is not None:
        candidates += [
            _text(e)
            for e in article.findall("ELocationID")
            if e.get("EIdType") == "doi" and e.get("ValidYN", "Y") != "N"
        ]
    candidates += [
        _text(e)
        for e in _findall(record, "PubmedData/ArticleIdList/ArticleId")
        if e.get("IdType") == "doi"
    ]
    candidates += [
        _text(e) for e in _findall(record, "BookDocument/ELocationID") if e.get("EIdType") == "doi"
    ]
    for doi in candidates:
        doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
        if re.fullmatch(r"10\.[0-9]{4,9}/\S+", doi):
            return doi
    return None


def _nct(citation: Element) -> str | None:
    found = {
        _text(number)
        for bank in _findall(citation, "Article/DataBankList/DataBank")
        if _text(bank.find("DataBankName")) == "ClinicalTrials.gov"
        for number in _findall(bank, "AccessionNumberList/AccessionNumber")
    }
    found = {value for value in found if re.fullmatch(r"NCT[0-9]{8}", value)}
    return next(iter(found)) if len(found) == 1 else None


def _study(record: Element) -> Study:
    """The study a ``MedlineCitation``, ``PubmedArticle`` or ``PubmedBookArticle`` describes."""
    if record.tag == "PubmedBookArticle":
        citation = record.find("BookDocument")
        if citation is None:
            raise _RecordError("expected a BookDocument in PubmedBookArticle, found none")
        article: Element | None = None
        title = _text(citation.find("ArticleTitle")) or _text(_find(citation, "Book/BookTitle"))
        journal = _text(_find(citation, "Book/BookTitle")) or None
        ptypes = [_text(p) for p in citation.findall("PublicationType")]
        abstract_parent: Element = citation
        authors = _authors(citation)
    else:
        found = record if record.tag == "MedlineCitation" else record.find("MedlineCitation")
        if found is None:
            raise _RecordError("expected a MedlineCitation in PubmedArticle, found none")
        citation = found
        article = citation.find("Article")
        if article is None:
            raise _RecordError("expected an Article in MedlineCitation, found none")
        title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))
        journal = (
            _text(_find(article, "Journal/Title"))
            or _text(_find(article, "Journal/ISOAbbreviation"))
            or _text(_find(citation, "MedlineJournalInfo/MedlineTA"))
            or None
        )
        ptypes = [_text(p) for p in _findall(article, "PublicationTypeList/PublicationType")]
        abstract_parent = article
        authors = _authors(article)
    pmid = _text(citation.find("PMID"))
    if not pmid:
        raise _RecordError("expected a PMID, found none")
    if not re.fullmatch(r"[1-9][0-9]{0,8}", pmid):
        raise _RecordError(f"expected a PMID of digits, found {pmid!r}")
    abstract = " ".join(
        _text(part)
        for part in _findall(abstract_parent, "Abstract/AbstractText")
        if part is not None
    )
    mesh = [_text(d) for d in _findall(citation, "MeshHeadingList/MeshHeading/DescriptorName")]
    retracted_in = any(
        c.get("RefType") == "RetractionIn"
        for c in _findall(citation, "CommentsCorrectionsList/CommentsCorrections")
    )
    if retracted_in and "Retracted Publication" not in ptypes:
        ptypes.append("Retracted Publication")
    found_class = classify(ptypes, title, abstract, mesh)
    extension: dict[str, Any] = {
        "publication_types": ptypes,
        "design_basis": found_class.basis,
    }
    if found_class.article_type is not None:
        extension["article_type"] = found_class.article_type
    design = found_class.design
    n: int | None = None
    if design == "case-report":
        n = 1
    elif design not in (
        "expert-opinion",
        "narrative-review",
        "guideline",
        "in-vitro",
        "mechanistic",
    ):
        size = extract_n(abstract)
        if size is not None:
            n = size[0]
            extension["n_basis"] = size[1]
    year = _year(article, citation)
    return Study(
        id=f"pmid-{pmid}",
        design=design,
        n=n,
        title=title or None,
        authors=authors,
        year=year,
        journal=journal,
        doi=_doi(record, article),
        pmid=pmid,
        nct=_nct(citation) if article is not None else None,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        species=found_class.species,
        pilot=found_class.pilot,
        randomized=found_class.randomized,
        status=found_class.status,  # type: ignore[arg-type]
        of=found_class.of,
        extensions={"x-pubmed": extension},
    )


def read_pubmed(path: str) -> Iterator[ImportRecord]:
    """Each article of a MEDLINE / PubMed XML file, as a study or a problem, streamed.

    The file may be gzip-compressed (recognised by its magic number, whatever its name). A
    record that is well-formed but not a citation is a problem at the record's line and
    column; an XML syntax error is a problem at the parser's position, and ends the file; a
    file that cannot be opened or decompressed is an "unreadable" problem.
    """
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        yield _unreadable(path, f"cannot read file: {error.strerror or error}")
        return
    with raw:
        try:
            magic = raw.read(2)
            raw.seek(0)
        except OSError as error:
            yield _unreadable(path, f"cannot read file: {error.strerror or error}")
            return
        if magic == _GZIP_MAGIC:
            import gzip

            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield from _parse(unzipped.read, path)
        else:
            yield from _parse(raw.read, path)


def _unreadable(path: str, message: str) -> ImportRecord:
    return ImportRecord(problem=Problem(message, file=path, kind="unreadable"))


def _parse(read: Callable[[int], bytes], path: str) -> Iterator[ImportRecord]:
    import zlib
    from xml.etree.ElementTree import TreeBuilder
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.buffer_text = True
    ready: list[tuple[Element, int, int, int]] = []
    problems: list[Problem] = []
    depth = 0
    record_depth = 2
    count = 0

    # Outside a record only the depth is kept. Inside one, a C TreeBuilder builds the record
    # (text goes to it directly), leaving out the subtrees nothing here reads (references,
    # affiliations, grants ...), and the record is ready when its own element closes.
    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth, record_depth
        depth += 1
        if depth == 1:
            if tag in _RECORDS:
                record_depth = 1
            elif tag not in _SETS:
                problems.append(
                    Problem(
                        "not a MEDLINE / PubMed file: expected a MedlineCitationSet or "
                        f"PubmedArticleSet root element, found <{tag}>",
                        file=path,
                        line=parser.CurrentLineNumber,
                        column=parser.CurrentColumnNumber + 1,
                        kind="schema",
                        keyword="pubmed-root",
                    )
                )
                raise _Stop
        if depth == record_depth and tag in _RECORDS:
            begin(tag, attributes)

    def begin(tag: str, attributes: dict[str, str]) -> None:
        builder = TreeBuilder()
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        top = builder.start(tag, attributes)
        skipping = 0

        def start_inside(name: str, attributes: dict[str, str]) -> None:
            nonlocal skipping
            if skipping:
                skipping += 1
            elif name in _UNUSED:
                skipping = 1
                parser.CharacterDataHandler = None
            else:
                builder.start(name, attributes)

        def end_inside(name: str) -> None:
            nonlocal count, depth, skipping
            if skipping:
                skipping -= 1
                if not skipping:
                    parser.CharacterDataHandler = builder.data
            elif builder.end(name) is top:
                count += 1
                ready.append((builder.close(), line, column, count))
                depth -= 1
                parser.StartElementHandler = start
                parser.EndElementHandler = end
                parser.CharacterDataHandler = None

        parser.StartElementHandler = start_inside
        parser.EndElementHandler = end_inside
        parser.CharacterDataHandler = builder.data

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end

    def flush() -> Iterator[ImportRecord]:
        while ready:
            element, line, column, index = ready.pop(0)
            yield _record(element, path, line, column, index)
        while problems:
            yield ImportRecord(problem=problems.pop(0))

    while True:
        try:
            chunk = read(_CHUNK)
        except (OSError, EOFError, zlib.error) as error:
            yield from flush()
            yield _unreadable(path, f"cannot decompress file: {error}")
            return
        try:
            parser.Parse(chunk, not chunk)
        except _Stop:
            yield from flush()
            return
        except expat.ExpatError as error:
            yield from flush()
            before = f"{count} record{'s' if count != 1 else ''} read before it"
            yield ImportRecord(
                problem=Problem(
                    f"malformed XML: {expat.errors.messages[error.code]} ({before})",
                    file=path,
                    line=error.lineno,
                    column=error.offset + 1,
                    kind="syntax",
                    keyword="xml",
                )
            )
            return
        yield from flush()
        if not chunk:
            return


class _Stop(Exception):
    """Stop parsing: the file is not one we read."""


def _record(element: Element, path: str, line: int, column: int, index: int) -> ImportRecord:
    try:
        return ImportRecord(study=_study(element))
    except _RecordError as error:
        pmid = _text(element.find(".//PMID"))
        which = f"record {index}" + (f" (PMID {pmid})" if pmid else "")
        return ImportRecord(
            problem=Problem(
                f"{which}: <{element.tag}> {error}",
                file=path,
                line=line,
                column=column,
                kind="schema",
                keyword="pubmed-record",
            )
        )
