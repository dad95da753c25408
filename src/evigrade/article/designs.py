"""Design cues: what a reference's title or a sentence of the article says of a study's design.

Each cue names a design of evigrade's taxonomy and how strongly the words tell it: 3 for words
that name the design ("randomized placebo-controlled trial", "retrospective chart review",
"study protocol", "in mice", "case report", "anecdotal reports"), 2 for words that narrow it
("a pilot trial", "a clinical trial", "first proposed"), 1 for hints that only a study's
description makes meaningful ("cell proliferation", "follow-up"). Where several cues meet, the
strongest wins; a design no cue tells is reported as not told.
"""

from __future__ import annotations

import re

import attrs

from ..numbers import WORD_NUMBER
from ..numbers import number as count
from .claims import CONDITION_WORDS

__all__ = [
    "HUMAN_PRIMARY",
    "DesignCue",
    "HumanData",
    "design_cues",
    "duration_of",
    "extras_of",
    "human_data",
    "size_of",
]


@attrs.frozen
class DesignCue:
    """One design cue: the design, how strongly the words tell it (1 to 3), and the words."""

    design: str
    strength: int
    words: str
    species: str | None = None


_SPECIES = {
    "mice": "mouse",
    "mouse": "mouse",
    "murine": "mouse",
    "rats": "rat",
    "rat": "rat",
    "dogs": "dog",
    "pigs": "pig",
    "monkeys": "monkey",
    "primates": "monkey",
    "zebrafish": "zebrafish",
    "rabbits": "rabbit",
}

#: (pattern, design, strength), in the order they are tried.
_CUES: tuple[tuple[re.Pattern[str], str, int], ...] = tuple(
    (re.compile(pattern, re.I), design, strength)
    for pattern, design, strength in (
        (
            r"\bstudy protocol\b|\b(?:trial|study) protocol\b|\bprotocol (?:for|of)\b|"
            r"\bis (?:currently )?(?:being conducted|under way|underway|recruiting)\b|"
            r"\bresults? .{0,40}\bwill not be (?:available|known)\b|"
            r"\bwill (?:enrol|enroll|recruit)\b",
            "protocol",
            3,
        ),
        (r"\bmeta-?analys[ie]s\b|\bpooled analysis\b", "meta-analysis", 3),
        (
            r"\bsystematic (?:review|literature review)\b|\bcochrane review\b",
            "systematic-review",
            3,
        ),
        (r"\b(?:clinical practice )?guidelines?\b(?! for (?:authors|reporting))", "guideline", 3),
        (r"\bcross-?over\b.{0,40}\btrial\b|\btrial\b.{0,40}\bcross-?over\b", "crossover-rct", 3),
        (r"\bcluster[- ]randomi[sz]ed\b", "cluster-rct", 3),
        (r"\bn-of-1\b", "n-of-1-trial", 3),
        (
            r"\brandomi[sz]ed\b(?!\s+(?:to|into))|\bplacebo[- ]controlled\b|\bdouble[- ]blind\w*\b|"
            r"\brcts?\b",
            "rct",
            3,
        ),
        (r"\bnon-?randomi[sz]ed (?:controlled )?(?:trial|study)\b", "non-randomized-trial", 3),
        (r"\bsingle[- ]arm\b|\bopen[- ]label\b|\buncontrolled\b", "single-arm-trial", 3),
        (r"\bcase[- ]control\b", "case-control", 3),
        (r"\bcross-?sectional\b|\bsurveys?\b(?! of the literature)", "cross-sectional", 3),
        (
            r"\bquasi-?experimental\b|\bbefore[- ](?:and[- ])?after\b|"
            r"\binterrupted time[- ]series\b|\bpre-?post\b",
            "interrupted-time-series",
            3,
        ),
        (
            r"\bretrospective\b|\bchart review\b|\bmedical records?\b|\bregistry\b|"
            r"\bclaims data\b|\bdatabase study\b",
            "retrospective-cohort",
            3,
        ),
        (
            r"\bprospective\b.{0,20}\bcohort\b|\bcohort (?:study|studies)\b|\bcohort\b",
            "prospective-cohort",
            3,
        ),
        (r"\bcase series\b", "case-series", 3),
        (r"\bcase reports?\b|\ba (?:single )?case (?:of|study)\b", "case-report", 3),
        (
            r"\b(?:in|of|on) (?:mice|rats|mouse|rat|animals|dogs|pigs|monkeys|primates|zebrafish|"
            r"rabbits)\b|\bmice\b|\bmurine\b|\brodents?\b|\banimal (?:studies|study|models?|"
            r"experiments?|research)\b|\bexperimental autoimmune encephalomyelitis\b|\beae\b",
            "animal",
            3,
        ),
        (r"\bin vitro\b|\bcell cultures?\b|\bcell lines?\b|\bcultured\b", "in-vitro", 3),
        (
            r"\banecdot\w*|\btestimonials?\b|\bsocial media\b|\bonline forums?\b|"
            r"\bpatient forums?\b|\breddit\b|\bfacebook groups?\b",
            "anecdote",
            3,
        ),
        (
            r"\bauthors? reported success\b|\bin (?:my|our|his|her) (?:clinical )?experience\b|"
            r"\bexpert opinion\b|\bconsensus statement\b|\bcommentary\b|\beditorial\b",
            "expert-opinion",
            3,
        ),
        (r"\bhypothes[ie]s\b|\bhypothesi[sz]e[sd]?\b", "mechanistic", 3),
        (r"\breview\b|\breviews\b|\boverview\b|\bperspective\b", "narrative-review", 3),
        (
            r"\bpilot (?:trial|study|studies)\b|\bfeasibility (?:trial|study)\b",
            "single-arm-trial",
            2,
        ),
        (r"\bclinical trials?\b", "non-randomized-trial", 2),
        (
            r"\b(?:was )?first proposed\b|\bproposed (?:that|the idea)\b|\btheory\b",
            "mechanistic",
            2,
        ),
        (r"\btrials?\b", "non-randomized-trial", 1),
        (r"\bfollow-?up\b|\bfollowed (?:up )?for\b", "retrospective-cohort", 1),
        (
            r"\bprolifera\w*|\breceptors?\b|\bantagonist\b|\blymphocytes?\b|\bcytokines?\b|"
            r"\bmolecul\w*|\bin cells\b|\benzymes?\b|\bgene expression\b",
            "in-vitro",
            1,
        ),
    )
)


def design_cues(text: str) -> list[DesignCue]:
    """The design cues of a title or a sentence, strongest first (one per design)."""
    cues: dict[str, DesignCue] = {}
    lowered = text.lower()
    for pattern, design, strength in _CUES:
        match = pattern.search(lowered)
        if match is None:
            continue
        if design == "narrative-review" and re.search(
            r"\b(?:chart|systematic|peer|record|medical) reviews?\b|\breview(?:ed)? by\b", lowered
        ):
            continue
        if design == "guideline" and re.search(
            r"\b(?:as defined in|according to|in line with|up-to-date) (?:the )?(?:\w+ )?guideline",
            lowered,
        ):
            continue  # guidelines mentioned, not the source's own design
        species = None
        if design == "animal":
            animal = re.search(
                r"\b(mice|mouse|murine|rats?|dogs|pigs|monkeys|primates|zebrafish|rabbits)\b",
                lowered,
            )
            species = _SPECIES.get(animal.group(1)) if animal else None
        cue = DesignCue(design, strength, text[match.start() : match.end()], species)
        if design not in cues or cues[design].strength < strength:
            cues[design] = cue
    return sorted(cues.values(), key=lambda c: -c.strength)


_COUNT = r"(\d[\d,]*|" + WORD_NUMBER + r")"
_PEOPLE = (
    r"(?:[a-z-]+\s+){0,2}(?:people|patients|participants|subjects|adults|children|women|men|"
    r"individuals|volunteers|persons|cases|mice|rats|animals|respondents)"
)
_SIZE = re.compile(
    rf"\b(?:enrol(?:l)?(?:ing|ed|s)?|recruit(?:ing|ed|s)?|involv(?:ing|ed|es)|includ(?:ing|ed|es)|"
    rf"looked at|studied|followed|of|with|among|in)\s+{_COUNT}\s+{_PEOPLE}\b|"
    rf"\b{_COUNT}\s+{_PEOPLE}\s+(?:(?:with|who had|who have)\s+(?:[\w-]+\s+){{1,4}}?)?"
    rf"(?:were|was|took|received|enrolled|participated|completed)\b|"
    rf"\bn\s*=\s*(\d[\d,]*)\b",
    re.I,
)


_ANIMAL_COUNT = re.compile(r"\b(?:mice|rats|animals)\b", re.I)


def size_of(text: str, of: str | None = None) -> tuple[int, str] | None:
    """The number of participants a sentence states, with the words it was read from; ``of``
    ``"people"`` or ``"animals"`` keeps only a count of those ("n = 40" counts either)."""
    for match in _SIZE.finditer(text):
        value = next((g for g in match.groups() if g), None)
        number = count(value) if value else None
        if number is None or not 1 <= number <= 10_000_000:
            continue
        animals = bool(_ANIMAL_COUNT.search(match.group(0)))
        if (of == "people" and animals) or (
            of == "animals" and not animals and "=" not in match.group(0)
        ):
            continue
        return number, match.group(0)
    return None


#: The designs of a primary study in people: the human part of a reference that also reports
#: animal experiments is one of them.
HUMAN_PRIMARY = frozenset(
    {
        *("rct", "crossover-rct", "cluster-rct", "n-of-1-trial", "non-randomized-trial"),
        *("single-arm-trial", "case-control", "cross-sectional", "interrupted-time-series"),
        *("retrospective-cohort", "prospective-cohort", "case-series", "case-report"),
    }
)


@attrs.frozen
class HumanData:
    """Words that report data in people with a disease, and the disease (the population)."""

    words: str
    population: str


_PEOPLE_NOUN = (
    r"(?:patients|people|persons|individuals|subjects|adults|children|women|men|participants|"
    r"volunteers|sufferers)"
)
_IN_PEOPLE_WITH = re.compile(
    rf"\b(?:in|among|of|from)\s+(?:[\w-]+\s+){{0,3}}?{_PEOPLE_NOUN}\s+"
    r"(?:with|who have|who had|living with|suffering from|diagnosed with)\s+"
    r"(?P<population>[^,.;:()\[\]]+?)(?=\s+(?:and|or|who|were|was|are|is|treated|taking|"
    r"receiving|on|after|before|during|compared|versus|than)\b|[,.;:()\[\]]|$)",
    re.I,
)
_IN_CONDITION_PATIENTS = re.compile(
    r"\b(?:in|among|of|from)\s+(?P<population>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+"
    r"(?:patients|sufferers)\b",
    re.I,
)
_IN_WHAT = re.compile(r"\bin\s+(?P<phrase>[^,.;:()\[\]]+)", re.I)
#: A measurement said to differ: "levels are reduced in", "profiles ... altered in".
_MEASURED = re.compile(
    r"\b(?:levels?|concentrations?|profiles?|counts?|expression)\b[^.;]{0,60}?\b(?:reduced|"
    r"lower|higher|elevated|increased|decreased|altered|raised|depleted|deficient|abnormal)\s*$",
    re.I,
)
#: What makes a phrase other than people with a disease: an animal, a model, cells, or the
#: treatment of the disease rather than data in people who have it.
_NOT_PEOPLE = re.compile(
    r"\b(?:mice|mouse|murine|rats?|rodents?|animals?|dogs|pigs|monkeys|primates|zebrafish|"
    r"rabbits|models?|experimental|induced|eae|vitro|vivo|cells?|cultures?|lines?|treatment|"
    r"therapy|management|prevention|role|use)\b",
    re.I,
)


def _disease(phrase: str) -> str | None:
    phrase = re.sub(r"^(?:the|a|an|\d[\d,]*)\s+", "", phrase.strip(), flags=re.I)
    if not phrase or len(phrase.split()) > 5 or _NOT_PEOPLE.search(phrase):
        return None
    if CONDITION_WORDS.search(phrase) or re.fullmatch(r"[A-Z][A-Z0-9-]{1,7}", phrase):
        return phrase
    return None


def human_data(text: str, *, bare: bool = False) -> HumanData | None:
    """Words of a title or a sentence that report data in people with a disease: "in patients
    with multiple sclerosis", "in MS patients", or, where the words measure something ("levels
    are reduced in multiple sclerosis") or ``bare`` is true (a title: "... cytokine profiles in
    experimental autoimmune encephalomyelitis and multiple sclerosis"), "in" and the disease
    itself. An animal model, cells or the treatment of a disease are not people with it."""
    for pattern in (_IN_PEOPLE_WITH, _IN_CONDITION_PATIENTS):
        for match in pattern.finditer(text):
            population = _disease(match.group("population"))
            if population is not None:
                return HumanData(match.group(0).strip(), population)
    for match in _IN_WHAT.finditer(text):
        before = _MEASURED.search(text[max(0, match.start() - 80) : match.start()])
        if not bare and before is None:
            continue
        start = max(0, match.start() - 80) + before.start() if before else match.start()
        at = match.start("phrase")
        for conjunct in re.split(r"(\s*,\s*|\s+(?:and|or)\s+)", match.group("phrase")):
            population = _disease(conjunct)
            if population is not None:
                return HumanData(text[start : at + len(conjunct)].strip(), population)
            at += len(conjunct)
    return None


_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
#: A study's length: "a 17-week trial", "a 30-month study", "over a two-year period", or a
#: sentence that opens with it ("Over six months, ...").
_DURATION = re.compile(
    rf"\b{_COUNT}[- ](day|week|month|year)s?[- ](?:[\w-]+\s+){{0,2}}?(?:trial|study|"
    rf"follow-?up|pilot|period|course)|"
    rf"^(?:over|for|during)\s+(?:a\s+|the\s+)?(?:first\s+)?{_COUNT}[- ]?(day|week|month|year)s?\b|"
    rf"\bover\s+(?:a\s+)?{_COUNT}[- ](day|week|month|year)\s+period\b",
    re.I,
)


def duration_of(text: str) -> tuple[str, str] | None:
    """A study's length as an ISO 8601 duration (``P6M``), with the words it was read from."""
    for match in _DURATION.finditer(text):
        groups = [g for g in match.groups() if g]
        if len(groups) < 2:
            continue
        number = count(groups[0])
        if number is None or number > 600:
            continue
        return f"P{number}{_UNITS[groups[1].lower()]}", match.group(0)
    return None


def extras_of(text: str) -> dict[str, object]:
    """What else a title or sentence says of a study: pilot, control, blinding, status."""
    lowered = text.lower()
    extras: dict[str, object] = {}
    if re.search(r"\bpilot\b|\bfeasibility\b", lowered):
        extras["pilot"] = True
    if re.search(r"\bplacebo\b", lowered):
        extras["control"] = "placebo"
    elif re.search(r"\bwait-?list\b", lowered):
        extras["control"] = "waitlist"
    elif re.search(r"\busual care\b|\bstandard care\b", lowered):
        extras["control"] = "usual-care"
    if re.search(r"\bdouble[- ]blind\w*\b", lowered):
        extras["blinding"] = "double"
    elif re.search(r"\bsingle[- ]blind\w*\b", lowered):
        extras["blinding"] = "single"
    elif re.search(r"\bopen[- ]label\b", lowered):
        extras["blinding"] = "none"
    if re.search(r"\brandomi[sz]ed\b(?!\s+(?:to|into))", lowered):
        extras["randomized"] = True
    if re.search(
        r"\b(?:is|are) (?:currently )?(?:being conducted|under way|underway|recruiting)\b|"
        r"\bongoing\b|\bwill not be (?:available|known)\b",
        lowered,
    ):
        extras["status"] = "ongoing"
    return extras
