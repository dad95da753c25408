"""Finding the claims of an article: sentences that state a health effect, the safety, the
mechanism or the dose of an intervention (or a fact about the condition), cited or not; each
with its exact quote, its PICO as far as the sentence says it, and its citations.

The interventions and conditions are the article's own: the terms it defines with an
abbreviation ("low-dose naltrexone (LDN)", "multiple sclerosis (MS)") and the drug names it
uses most, so nothing here is tied to one topic.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Sequence

import attrs

from . import Strength
from .citations import Citation, cited_ids, strip_citations
from .references import Reference
from .text import Article, Sentence

__all__ = [
    "CONDITION_WORDS",
    "FoundClaim",
    "Reading",
    "Topic",
    "extract_claims",
    "find_claims",
    "find_topic",
]

_DEFINITION = re.compile(
    r"\b((?:[A-Za-z][\w'’-]*[ -]){0,5}[A-Za-z][\w'’-]*)\s*\(\s*([A-Z][A-Za-z0-9-]{1,9})\s*\)"
)
_REVERSED = re.compile(
    r"\b([A-Z][A-Za-z0-9]{1,9})\s*(?:\(|—|–| - )\s*((?:[a-z][\w'’-]*[ -]){1,5}[a-z][\w'’-]*)\)?"
)
_DRUG = re.compile(
    r"\b(?:[a-z]+(?:amine|azole|mab|nib|pril|sartan|statin|vir|cillin|mycin|cycline|olol|dipine|"
    r"tidine|prazole|trexone|oxone|profen|fenac|codone|morphine|azepam|zolam|triptan|gliptin|"
    r"gliflozin|glutide|parin|floxacin|dronate|setron|lukast|ximab|zumab|umab|caine|barbital|"
    r"oxetine|aline|ipramine|apine|idone|afil|tropin|globulin|biotics?)|aspirin|metformin|"
    r"insulin|melatonin|cannabis|cannabidiol|vitamin [a-k]\d*|probiotics?|vaccines?)\b",
    re.I,
)
#: Substances the body makes: named by articles, but not interventions.
_ENDOGENOUS = re.compile(r"histamine|dopamine|serotonin|glutamine|thiamine|endorphins?|insulin")
#: Words that name a condition ("multiple sclerosis", "arthritis", "a rare disease").
CONDITION_WORDS = re.compile(
    r"\b(?:syndrome|disease|disorder|sclerosis|cancer|itis|osis|emia|pathy|infection|"
    r"depression|diabetes|pain|fatigue|condition|injury|tachycardia|failure|psoriasis|"
    r"fibromyalgia|arthritis|dementia|asthma|obesity|hypertension)\b|(?:itis|osis|algia)\b",
    re.I,
)
_SAFETY = re.compile(
    r"\b(?:safe(?:ty|ly)?|unsafe|side[- ]effects?|adverse|tolerat(?:ed|ion|e|ability)|"
    r"harm(?:s|ful)?|toxic(?:ity)?|interact(?:s|ion|ions)?|contraindicat\w*|"
    r"should not be (?:used|taken)|make (?:\w+ )?worse)\b",
    re.I,
)
_MECHANISM = re.compile(
    r"\b(?:works? by|receptors?|antagonist|agonist|endorphins?|immun\w*|cytokines?|"
    r"lymphocytes?|mechanism|pathway|inflammat\w*|neuroplasticity|molecule|enkephalin|"
    r"growth factor|cells?|proliferation|blocks?|blocking|levels?)\b",
    re.I,
)
_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:–|-|to|and)?\s*(?:\d+(?:\.\d+)?\s*)?mg\b", re.I)
#: Words that report an effect without a causal verb: "noticed less fatigue", "a significant
#: reduction in", "reported success", "positive results", "has no cure".
_EFFECT_PHRASES = re.compile(
    r"\b(?:reductions?|improvements?|decreases?|increases?|relief|declines?|worsening)\s+"
    r"(?:in|of)\b|\b(?:less|fewer|better|improved|reduced|lower)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:fatigue|pain|symptoms?|sleep|mood|quality of life|spasticity|stiffness|energy|"
    r"inflammation|relapses?|depression|anxiety|levels?)\b|\b(?:feel(?:s|ing)?|felt)\s+"
    r"(?:more|less|better)\b|\bsuccess(?:ful)?\b|\bpositive (?:results?|effects?|outcomes?)\b|"
    r"\bbenefits?\b|\bno cure\b|\bnot a cure\b|\bincurable\b|\bstable disease\b|"
    r"\bsymptom relief\b",
    re.I,
)
#: Advice to the reader, not a claim: "Always get your LDN from ...", "Start low and go slow".
_ADVICE = re.compile(
    r"^(?:always|never|be|keep|stay|start|talk|ask|consult|check|do not|don't|make sure|"
    r"remember|try|give|let's|let us|please|if you|you should|you may|it'?s (?:important|"
    r"essential|critical|best)|it is (?:important|essential|critical|best))\b",
    re.I,
)
_ANAPHOR = re.compile(r"\bth(?:is|e) (?:drug|medication|medicine|treatment|therapy)\b", re.I)
_POPULATION = re.compile(
    r"\b((?:people|patients|participants|adults|children|women|men|individuals|those|subjects|"
    r"persons|mice|rats|a patient|one patient)\s+(?:with|who have|living with|suffering from|"
    r"diagnosed with)\s+(?:[\w'’-]+(?:\s|$)){1,6})",
    re.I,
)
_POPULATION_BEFORE = re.compile(r"\b([A-Z][A-Za-z]{1,8})\s+(patients|sufferers)\b")
_COMPARATOR = re.compile(
    r"\b(?:compared (?:with|to)|versus|vs\.?|relative to|than)\s+([^,.;]{3,60})", re.I
)
_STOP = re.compile(
    r"\s(?:for|in|among|with|by|without|when|while|which|who|that|after|over|during|across|"
    r"within|as|from|at|so|to help|but|and (?:improve|reduce|increase|boost|help|may|can|is)\b)"
    r"\s|[,;:.()\[\]—–]"
)
_DISCLAIMER = re.compile(
    r"\b(?:not (?:medical advice|a substitute)|for (?:general )?(?:guidance|information(?:al)?) "
    r"(?:only|purposes)|consult (?:your|a) (?:doctor|physician|healthcare))\b",
    re.I,
)


@attrs.frozen
class Topic:
    """What an article is about: its interventions and conditions (abbreviation -> the full
    term, and each full term to itself), and the main intervention."""

    interventions: dict[str, str] = attrs.field(factory=dict, hash=False)
    conditions: dict[str, str] = attrs.field(factory=dict, hash=False)
    main: str | None = None

    def intervention_in(self, text: str) -> str | None:
        return _first_term(text, self.interventions)

    def condition_in(self, text: str) -> str | None:
        return _first_term(text, self.conditions)


def _first_term(text: str, terms: dict[str, str]) -> str | None:
    best: tuple[int, str] | None = None
    for term, full in terms.items():
        flags = 0 if term.isupper() else re.I
        match = re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, flags)
        if match is not None and (best is None or match.start() < best[0]):
            best = (match.start(), full)
    return best[1] if best else None


def _subsequence(letters: str, word: str) -> bool:
    rest = iter(word)
    return all(letter in rest for letter in letters)


def _expansion(before: str, short: str) -> str | None:
    """The words before an abbreviation that it abbreviates ("low-dose naltrexone" for LDN):
    the longest run, at most as many words as letters, whose initials it spells in order."""
    tokens = list(re.finditer(r"[A-Za-z0-9][\w'’]*", before))
    lowered = short.lower()
    for count in range(min(len(short), len(tokens)), 1, -1):
        tail = tokens[-count:]
        initials = "".join(t.group(0)[0].lower() for t in tail)
        if initials[0] == lowered[0] and _subsequence(initials, lowered):
            return before[tail[0].start() :].strip().lower()
    return None


_SUBJECT = re.compile(
    r"^(?:[A-Z][a-z]+,\s+)?((?:[A-Za-z][\w-]*\s){0,2}?[A-Za-z][\w-]*)\s+(?:may|might|could|can|"
    r"also|is|are|was|were|has|have|appears?|seems?|works?|helps?|does|do|did|will|would|"
    r"should|must)\b"
)
_NOT_SUBJECTS = re.compile(
    r"\b(?:people|patients|participants|studies|study|research|researchers|it|this|that|these|"
    r"those|they|there|results?|findings?|evidence|doctors?|many|most|some|you|we|he|she|"
    r"everyone|anyone|one|others?|treatment|treatments|symptoms?|side|effects?|dose|trials?|"
    r"what|which|who|how|why|the|a|an|and|or|but|if|while|when|as|so|not|all|more|less|may|"
    r"might|could|can|is|are|was|were|has|have|in|on|at|for|from|by|with|of|to|after|before|"
    r"during|over|under|suggest|shows?|found|finds|do|does|did)\b",
    re.I,
)


def _subject_of(text: str) -> str | None:
    """The noun phrase a sentence opens with, as its subject, if it is one."""
    match = _SUBJECT.match(text.strip())
    if match is not None:
        words = match.group(1).lower().split()
    else:
        from .strength import _verb_forms

        tokens = re.findall(r"[A-Za-z][\w-]*", text)[:4]
        verb_at = next((i for i, t in enumerate(tokens) if i and t in _verb_forms()), None)
        if verb_at is None:
            return None
        words = [t.lower() for t in tokens[:verb_at]]
    while words and _NOT_SUBJECTS.fullmatch(words[0]):
        words.pop(0)
    if not words or any(_NOT_SUBJECTS.fullmatch(w) for w in words):
        return None
    return " ".join(words)


def _subjects(article: Article) -> collections.Counter[str]:
    """The noun phrases that open the article's sentences as their subject ("Beetroot juice
    lowers ..."), counted: what an article keeps saying things of is what it is about."""
    counts: collections.Counter[str] = collections.Counter()
    for sentence in article.sentences:
        subject = None if sentence.is_heading else _subject_of(sentence.text)
        if subject is not None:
            counts[subject] += 1
    return counts


def find_topic(article: Article) -> Topic:
    """The interventions and conditions an article names, from its definitions and drugs."""
    interventions: dict[str, str] = {}
    conditions: dict[str, str] = {}
    text = article.text
    pairs: list[tuple[str, str]] = []
    for match in _DEFINITION.finditer(text):
        full = _expansion(match.group(1), match.group(2))
        if full is not None:
            pairs.append((match.group(2), full))
    for match in _REVERSED.finditer(text):
        full = _expansion(match.group(2), match.group(1))
        if full is not None and full == match.group(2).strip().lower():
            pairs.append((match.group(1), full))
    canonical: dict[str, str] = {}
    for short, full in pairs:
        full = canonical.setdefault(re.sub(r"[\s-]+", " ", full), full)
        if _DRUG.search(full) or re.search(r"\b(?:therapy|treatment|medicine|drug)\b", full):
            interventions.setdefault(short, full)
            interventions.setdefault(full, full)
        elif CONDITION_WORDS.search(full):
            conditions.setdefault(short, full)
            conditions.setdefault(full, full)
    counts = collections.Counter(m.group(0).lower() for m in _DRUG.finditer(text))
    for drug, count in counts.items():
        if _ENDOGENOUS.fullmatch(drug):
            continue
        known = {re.sub(r"[\s-]+", " ", key.lower()) for key in interventions}
        if count >= 2 and not any(re.sub(r"[\s-]+", " ", drug) in key for key in known):
            interventions[drug] = drug
    for term in list(interventions.values()):
        head = term.split()[-1]
        if head != term and _DRUG.fullmatch(head):
            interventions.setdefault(head, term)
    for subject, count in () if interventions else _subjects(article).items():
        known = {re.sub(r"[\s-]+", " ", key.lower()) for key in interventions}
        if subject in known or any(subject in k or k in subject for k in known):
            continue
        if CONDITION_WORDS.search(subject) or subject in {c.lower() for c in conditions}:
            continue
        in_title = subject in article.title.lower()
        if count >= 2 or in_title:
            interventions[subject] = subject
    main = None
    if interventions:
        tally: collections.Counter[str] = collections.Counter()
        for term, full in interventions.items():
            flags = 0 if term.isupper() else re.I
            tally[full] += len(re.findall(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, flags))
        main = tally.most_common(1)[0][0] if tally else None
    return Topic(interventions, conditions, main)


@attrs.frozen
class FoundClaim:
    """A claim found in the article: its sentence, exact quote, the quote without citation
    markers, the reference ids it cites (as printed), its PICO, what kind of outcome it is
    about, and where each drafted value came from."""

    sentence: int
    quote: str
    text: str
    citations: tuple[str, ...]
    strength: Strength
    intervention: str | None = None
    population: str | None = None
    comparator: str | None = None
    outcome: str | None = None
    outcome_kind: str = "patient-important"
    species: str = "human"
    about: str = "effect"
    sources: dict[str, str] = attrs.field(factory=dict, hash=False)


_OUTCOME_AFTER_NOUN = re.compile(
    r"\b(?:reductions?|improvements?|decreases?|increases?|relief|effects?|benefits?|impact|"
    r"protection|changes?)\s+(?:in|of|on|for|from)\s+([^,;.()]+?)(?=\s+(?:in|among|for|with|"
    r"after|over|during|when)\s|[,;.()]|$)",
    re.I,
)


def _outcome(text: str, cues: Sequence[str], about: str) -> str | None:
    lowered = text.lower()
    if about != "safety" and any(
        re.search(r"\b(?:reduction|improvement|effect|benefit|relief|impact|protection)", c)
        for c in cues
    ):
        noun = _OUTCOME_AFTER_NOUN.search(text)
        if noun is not None and not re.match(r"(?:the|this|a)\s", noun.group(1)):
            return noun.group(1).strip()
    if about == "safety":
        if re.search(r"side[- ]effects?|adverse", lowered):
            return "adverse effects"
        if re.search(r"tolerat", lowered):
            return "tolerability"
        return "safety"
    for cue in cues:
        word = cue.split()[0].lower()
        position = lowered.find(word)
        if position < 0 or word in ("may", "might", "could", "not", "no", "can"):
            continue
        after = text[position + len(word) :]
        if cue.lower().startswith(("lead to", "result in", "contribute to")):
            after = after.split(None, 1)[1] if " " in after.strip() else after
        after = re.sub(r"^\s*(?:to\s+)?(?:help\s+(?:to\s+)?)?", " ", after)
        if word.startswith(
            "help"
        ):  # "help people stop drinking", "help regulate the immune system"
            after = re.sub(r"^\s*(?:people|patients|you|them|us|to)\s+", " ", after)
            after = re.sub(r"^\s*(?:to\s+)?[a-z]+(?=\s)", " ", after)
        after = re.sub(r"^\s*(?:the|a|an|your|their|its|in|on|of)\s+", " ", after)
        end = _STOP.search(" " + after + " ")
        phrase = (" " + after)[: end.start()] if end else after
        phrase = phrase.strip(" .,;:")
        if 2 <= len(phrase) <= 80 and re.search(r"[a-z]", phrase):
            return phrase
    return None


def _about(text: str, strength: Strength) -> str | None:
    """What the claim is about: the safety of the intervention when its head relation is a
    harm or tolerability ("is safe", "well tolerated"), its mechanism, its effect, its dose."""
    mechanism = re.search(r"\bworks? by\b|\bmechanism\b|\btheory\b", text, re.I)
    cues = " ".join(strength.cues)
    if _SAFETY.search(cues) or (re.search(r"\beffects?\b", cues) and _SAFETY.search(text)):
        return "safety"
    if strength.level >= 1:
        return "mechanism" if mechanism or _MECHANISM.search(text) else "effect"
    if _SAFETY.search(text):
        return "safety"
    if mechanism:
        return "mechanism"
    if _EFFECT_PHRASES.search(text):
        return "effect"
    if _DOSE.search(text) and re.search(
        r"\b(?:taken|take|doses?|starting|maintenance)\b", text, re.I
    ):
        return "dose"
    return None


def _is_candidate(sentence: Sentence) -> bool:
    text = sentence.text.strip()
    if sentence.is_heading or text.endswith("?") or len(text.split()) < 4:
        return False
    if re.search(r"\b(?:I|me)\b", text):
        return False  # the writer's own story or offer ("I had a patient ask me ...")
    return not _DISCLAIMER.search(text) and not _ADVICE.search(text)


def find_claims(
    article: Article,
    citations: Sequence[Sequence[Citation]],
    topic: Topic,
    score: Callable[[str], Strength],
    *,
    reference_blocks: frozenset[int] = frozenset(),
    described: frozenset[int] = frozenset(),
) -> tuple[FoundClaim, ...]:
    """The claims of ``article``. ``citations`` holds each sentence's citations;
    ``described`` the sentences that describe a study (an effect stated there is a claim even
    when the sentence does not name the intervention)."""
    found: list[FoundClaim] = []
    previous_intervention: dict[int, str] = {}
    recent: list[tuple[int, str | None]] = []  # (block, intervention named) of the last sentences
    end = min(reference_blocks, default=None)
    for sentence in article.sentences:
        named = topic.intervention_in(sentence.text) or (
            topic.main if _ANAPHOR.search(sentence.text) else None
        )
        if sentence.is_heading:
            recent.clear()  # a new section: what the last one spoke of is no context
        context = next(
            (term for block, term in reversed(recent[-3:]) if term and block >= sentence.block - 1),
            None,
        )
        condition_named = topic.condition_in(sentence.text)
        if context == "" or (condition_named and not named):
            context = None  # it, or the sentences before it, speak of the condition
        if not sentence.is_heading:
            recent.append((sentence.block, named if named or not condition_named else ""))
        if sentence.block in reference_blocks or not _is_candidate(sentence):
            continue
        if end is not None and sentence.block > end:
            continue  # after the reference list: bylines, disclosures, not the article's claims
        cited = cited_ids(citations[sentence.index])
        text = strip_citations(sentence.text, citations[sentence.index])
        strength = score(text)
        about = _about(text, strength)
        intervention = topic.intervention_in(text)
        condition = topic.condition_in(text)
        sources: dict[str, str] = {}
        if intervention is not None:
            sources["intervention"] = f"named in sentence {sentence.index}"
            previous_intervention[sentence.block] = intervention
        elif re.match(r"^(?:thus,?\s*|so,?\s*|therefore,?\s*)?(?:it|this|they)\b", text, re.I) and (
            sentence.block in previous_intervention
        ):
            intervention = previous_intervention[sentence.block]
            sources["intervention"] = (
                "the sentence's 'it' or 'this': named earlier in its paragraph"
            )
        elif (cited or sentence.index in described) and topic.main:
            intervention = topic.main
            sources["intervention"] = "not named in the sentence: the article's main intervention"
        elif context is not None and not sentence.is_heading:
            intervention = context
            sources["intervention"] = "not named in the sentence: named in the sentences before it"
        elif (
            topic.main is None
            and (cited or strength.level >= 2)
            and (subject := _subject_of(text)) is not None
        ):
            intervention = subject
            sources["intervention"] = f"the subject of sentence {sentence.index}"
        if about is None:
            continue
        if intervention is None and condition is None:
            continue
        if intervention is None and not (
            cited or strength.level >= 1 or _EFFECT_PHRASES.search(text)
        ):
            continue
        population = None
        match = _POPULATION.search(text)
        if match is not None:
            population = match.group(1).strip(" .,;")
            sources["population"] = f"sentence {sentence.index}: {population!r}"
        else:
            before = _POPULATION_BEFORE.search(text)
            if before is not None and topic.condition_in(before.group(1)):
                population = f"{before.group(2)} with {topic.condition_in(before.group(1))}"
                sources["population"] = f"sentence {sentence.index}: {before.group(0)!r}"
            elif condition is not None:
                population = f"people with {condition}"
                sources["population"] = f"sentence {sentence.index} names {condition!r}"
        comparator = None
        compared = _COMPARATOR.search(text)
        if compared is not None and intervention is not None:
            comparator = compared.group(1).strip()
            sources["comparator"] = f"sentence {sentence.index}: {compared.group(0)!r}"
        outcome = _outcome(text, strength.cues, about)
        if outcome is not None:
            sources["outcome"] = f"sentence {sentence.index}: {outcome!r}"
        species = "human"
        animal = re.search(r"\b(mice|mouse|rats?|murine|animals?)\b", text, re.I)
        if animal is not None and about != "safety":
            word = animal.group(1).lower()
            species = {"mice": "mouse", "murine": "mouse", "rats": "rat"}.get(word, word)
            if species.startswith("animal"):
                species = "human"
            else:
                sources["species"] = f"sentence {sentence.index}: {animal.group(0)!r}"
        kind = {"safety": "safety", "mechanism": "mechanism"}.get(about, "patient-important")
        found.append(
            FoundClaim(
                sentence=sentence.index,
                quote=sentence.text,
                text=text,
                citations=cited,
                strength=strength,
                intervention=intervention,
                population=population,
                comparator=comparator,
                outcome=outcome,
                outcome_kind=kind,
                species=species,
                about=about,
                sources=sources,
            )
        )
    return tuple(found)


@attrs.frozen
class Reading:
    """What a claims extractor reads: the article, its references, each sentence's citations
    and its text without them, the sentences that describe a study, the blocks of the
    reference list, and the wording-strength scorer in use."""

    article: Article
    references: tuple[Reference, ...]
    citations: tuple[tuple[Citation, ...], ...]
    texts: tuple[str, ...]
    described: frozenset[int]
    reference_blocks: frozenset[int]
    score: Callable[[str], Strength]


def extract_claims(reading: Reading) -> tuple[FoundClaim, ...]:
    """The built-in claims extractor: :func:`find_claims` on a :class:`Reading`."""
    return find_claims(
        reading.article,
        reading.citations,
        find_topic(reading.article),
        reading.score,
        reference_blocks=reading.reference_blocks,
        described=reading.described,
    )
