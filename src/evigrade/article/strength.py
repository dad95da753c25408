"""The built-in wording-strength scorer: rules written from the published annotation guidelines.

The scale is the one of Yu, Li & Wang (EMNLP 2019) for research conclusions, itself a collapse
of Sumner et al.'s (BMJ 2014) coding of press releases: 0 no relationship stated (or a statement
that there is none), 1 correlational ("associated with", "linked to", "more likely"), 2
conditional causal (a causal statement hedged: "may", "might", "could", "appears to",
"suggests that ... reduces"), 3 direct causal ("reduces", "improves", "can cause", "is safe").

The rules are grammatical, not a word list fitted to labelled sentences: a causal cue is a
causal verb used as a verb (not a participle in "an increased risk"), a causal adjective
("effective", "safe") or a causal connective ("due to", "because of"); a correlational cue is
an association verb or noun or a comparison of groups; a hedge is a modal, a hedging verb
("appear to", "suggest that") or adverb ("possibly") governing the cue; a negation ("not",
"no", "failed to") in the cue's scope turns the statement into one of no relationship. The
sentence's strength is that of its head relation: the first cue outside reporting frames
("we found that"), as the guidelines annotate the main finding of the sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import attrs

from . import Strength

__all__ = ["Cue", "cues", "score"]

_CAUSAL_VERBS = (
    "cause",
    "lead",
    "result",
    "produce",
    "induce",
    "trigger",
    "increase",
    "decrease",
    "reduce",
    "lower",
    "raise",
    "elevate",
    "boost",
    "improve",
    "enhance",
    "worsen",
    "aggravate",
    "exacerbate",
    "prevent",
    "protect",
    "inhibit",
    "suppress",
    "block",
    "alleviate",
    "relieve",
    "ease",
    "restore",
    "promote",
    "facilitate",
    "stimulate",
    "accelerate",
    "slow",
    "delay",
    "halt",
    "reverse",
    "cure",
    "treat",
    "heal",
    "benefit",
    "help",
    "harm",
    "damage",
    "impair",
    "affect",
    "influence",
    "impact",
    "modulate",
    "regulate",
    "alter",
    "contribute",
    "drive",
    "mediate",
    "extend",
    "shorten",
    "save",
    "kill",
    "eliminate",
    "curb",
    "cut",
    "combat",
    "counteract",
    "diminish",
    "attenuate",
    "mitigate",
    "minimise",
    "minimize",
    "strengthen",
    "weaken",
    "limit",
    "calm",
    "stabilise",
    "stabilize",
    "offset",
    "predispose",
    "shield",
    "fuel",
    "spur",
    "hinder",
    "hamper",
    "interfere",
    "disrupt",
    "lessen",
    "ameliorate",
    "normalise",
    "normalize",
    "make",
    "keep",
    "raise",
    "deplete",
    "worsen",
    "speed",
    "spark",
    "provoke",
    "elicit",
    "amplify",
    "dampen",
    "change",
    "avoid",
    "maintain",
    "double",
    "halve",
    "triple",
    "restrict",
    "decline",
    "rise",
    "drop",
)
#: Verbs that also describe a change without an agent ("fT4 decreased over time", "pain was
#: reduced in both groups"): used so, they state an observed change, a correlational finding.
_CHANGE_VERBS = frozenset(
    {
        "increase",
        "decrease",
        "reduce",
        "lower",
        "raise",
        "elevate",
        "improve",
        "worsen",
        "change",
        "decline",
        "rise",
        "drop",
        "alter",
        "diminish",
        "shorten",
        "extend",
    }
)
_NOT_AN_OBJECT = frozenset(
    {
        "in",
        "across",
        "to",
        "from",
        "after",
        "during",
        "over",
        "among",
        "between",
        "at",
        "with",
        "within",
        "throughout",
        "since",
        "until",
        "when",
        "while",
        "whereas",
        "but",
        "and",
        "or",
        "than",
        "as",
        "only",
        "slightly",
        "significantly",
        "markedly",
        "substantially",
        ",",
        ".",
        ";",
        ":",
        "!",
        "?",
        "compared",
        "versus",
        "vs",
        "each",
        "for",
        "per",
        "both",
        "more",
        "less",
        "again",
        "further",
        "overall",
        "following",
        "before",
        "under",
    }
)
_IRREGULAR = {
    "led": "lead",
    "leads": "lead",
    "leading": "lead",
    "drove": "drive",
    "driven": "drive",
    "made": "make",
    "makes": "make",
    "making": "make",
    "kept": "keep",
    "cuts": "cut",
    "cutting": "cut",
    "sped": "speed",
}
#: Causal adjectives stated of something ("X is effective", "appears safe"), not attributive
#: ("an effective strategy").
_CAUSAL_ADJECTIVES = re.compile(
    r"\b(?:effective|efficacious|ineffective|beneficial|protective|harmful|detrimental|"
    r"safe|unsafe|well[- ]tolerated|toxic|curative|helpful|useful|successful|valuable|"
    r"advantageous|of (?:benefit|value|use|help))\b"
)
_PREDICATIVE = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "remain",
        "remains",
        "remained",
        "proved",
        "proven",
        "appears",
        "appear",
        "seems",
        "seem",
        "not",
        "and",
        "as",
        "very",
        "highly",
        "equally",
        "more",
        "most",
        "less",
        "also",
        "both",
        "considered",
        "found",
        "generally",
        "particularly",
        "especially",
        "similarly",
        "comparably",
        "still",
        "become",
        "becomes",
        "became",
        "shown",
        "deemed",
        "or",
        "quite",
        "extremely",
        "so",
        "too",
        "fairly",
        "relatively",
        "potentially",
        "possibly",
        "probably",
        "likely",
        "clinically",
    }
)
#: Causal nouns and phrases: "has a beneficial effect", "plays a role in", "due to".
_CAUSAL_PREDICATES = re.compile(
    r"\b(?:responsible for|"
    r"(?:key|major|important|main)? ?(?:cause|driver|determinant|trigger)s? (?:of|for)|"
    r"(?:has|have|had|show|shows|showed|exert|exerts|exerted|confer|confers|conferred|"
    r"provide|provides|provided|produce|produces|produced) (?:an? |no |any |the |little )?"
    r"(?:[a-z-]+ ){0,2}(?:effects?|benefits?|impacts?|influence|efficacy|advantages?|relief|"
    r"protection|improvements?|reductions?)|"
    r"(?:offer|offers|offered|bring|brings|brought|give|gives|gave|yield|yields|yielded) "
    r"(?:an? |no |any |the |some |significant )?(?:[a-z-]+ ){0,2}"
    r"(?:relief|protection|benefits?|improvements?|reductions?)|"
    r"effectiveness|efficacy|(?:is|are|was|were) the result of|"
    r"plays? (?:an? )?(?:[a-z-]+ ){0,2}roles? in|played (?:an? )?(?:[a-z-]+ ){0,2}roles? in|"
    r"involved in|(?:critical|crucial|essential|key) (?:in|for|to)|"
    r"(?:a|an|the) (?:[a-z-]+ ){0,2}roles? (?:in|for|of)|"
    r"effects? (?:of|by) (?:[a-z0-9-]+ ){1,6}on|"
    r"due to|because of|owing to|attributable to|as a result of|thanks to)\b"
)
_CORRELATIONAL = re.compile(
    r"\b(?:associat(?:ed|es|e|ion|ions)|correlat(?:ed|es|e|ion|ions)|"
    r"link(?:ed|s)? (?:to|with)|links? between|link(?:ed|s)? [a-z-]+ (?:to|with)|"
    r"relat(?:ed|ion|ionship|ionships) (?:to|with|between)|relationship|"
    r"predict(?:s|ed|ive|or|ors|ing)?|prognostic|risk factors?|"
    r"(?:more|less|as|equally|times) likely|likelier|risks? (?:of|for)|at (?:[a-z-]+ )?risk|"
    r"high[- ]risk|(?:more|less) common|indicators? of|"
    r"odds|tied to|connected (?:to|with)|connection between|coincid(?:e|ed|es)|"
    r"differ(?:ed|s)? (?:between|by|from|among)|differences? (?:in|between)|"
    r"(?:higher|lower|greater|fewer|more|less|larger|smaller|increased|decreased|reduced|"
    r"elevated|longer|shorter|worse|better|poorer|older|younger) "
    r"(?:[a-z-]+ ){0,6}(?:than|compared|versus|vs|relative to)|"
    r"(?:worse|better|poorer|longer|shorter) (?:[a-z-]+ ){0,2}(?:survival|outcomes?|prognosis)|"
    r"(?:higher|lower|greater|increased|decreased|reduced|elevated|excess) "
    r"(?:[a-z-]+ ){0,2}(?:risk|rates?|odds|levels?|prevalence|incidence|likelihood|chances?|"
    r"mortality|scores?)|"
    r"(?:at|an?) (?:increased|higher|greater|lower|reduced|decreased|elevated) risk|"
    r"marker of|markers of|(?:are|is|was|were) common(?:er)? (?:in|among)|"
    r"trend(?:s|ed)? (?:toward|towards)|in line with)\b"
)
_HEDGE_MODALS = frozenset({"may", "might", "could", "would", "possibly", "potentially"})
_HEDGE_ADVERBS = frozenset(
    {
        "possibly",
        "potentially",
        "probably",
        "perhaps",
        "plausibly",
        "presumably",
        "likely",
        "potential",
        "possible",
        "putative",
    }
)
_HEDGE_VERBS = re.compile(
    r"\b(?:appears?|appeared|seems?|seemed|tends?|tended) to\b|"
    r"\b(?:suggests?|suggested|suggesting|hypothesi[sz]e[sd]?|speculate[sd]?|"
    r"implies|implied|raises? the possibility) (?:that )?|"
    r"\bit is (?:possible|plausible|likely) that\b|\bhas the potential to\b|"
    r"\bhave the potential to\b|\b(?:is|are) likely to\b|\bpotential (?:to|for)\b|"
    r"\bpromising\b"
)
_NEGATORS = frozenset(
    {"not", "no", "never", "neither", "nor", "cannot", "none", "without", "nothing", "non"}
)
_NEGATING_PHRASES = re.compile(
    r"\b(?:failed|fail|fails|unable) to\b|\black of\b|\babsence of\b|\bunrelated to\b|"
    r"\bnot significantly\b|\bno significant\b|\bno (?:clear|consistent|strong|evidence)\b"
)
#: Words before an -ed / -ing form that make it a modifier ("an increased risk", "with reduced
#: pain", "of increasing age") rather than the verb of the sentence.
_MODIFIER_CONTEXT = frozenset(
    {
        "a",
        "an",
        "the",
        "with",
        "of",
        "and",
        "or",
        "in",
        "for",
        "to",
        "their",
        "its",
        "his",
        "her",
        "our",
        "these",
        "those",
        "this",
        "at",
        "from",
        "on",
        "among",
        "than",
        "more",
        "less",
        "most",
        "significantly",
        "greatly",
        "markedly",
        "substantially",
        "slightly",
        "modestly",
        "as",
        "any",
        "no",
    }
)
#: Frames that report a finding without being one ("we found that", "the study shows").
_REPORTING = re.compile(
    r"\b(?:found|find|finds|show|shows|showed|shown|demonstrate[sd]?|reveal(?:s|ed)?|"
    r"indicate[sd]?|report(?:s|ed)?|confirm(?:s|ed)?|conclude[sd]?|observe[sd]?|"
    r"note[sd]?|say|says|said) (?:that )?"
)
#: A recommendation or a call for research: what follows it is not a finding ("strategies to
#: reduce X should be developed", "further studies are needed to determine the effect").
_RECOMMENDATION = re.compile(
    r"\b(?:should|must|ought to|need(?:s|ed)? to|(?:is|are) (?:needed|required|warranted|"
    r"necessary|recommended)|warrant(?:s|ed)?|merits?|requires?|justif(?:y|ies)|"
    r"recommend(?:s|ed)?|further (?:research|studies|investigation|work|trials)|"
    r"future (?:research|studies|trials)|highlights? the need|calls? for|whether|"
    r"to (?:investigate|examine|study|assess|evaluate|determine|explore|test|understand|"
    r"clarify|measure|compare|establish|see if|find out))\b"
)
_TOKEN = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*|n['’]t|[,;:.!?]")
_CITATION = re.compile(r"\[[\s\d,;–—-]*\]|\((?:\s*\d+\s*[,;–-]?)+\)")
_PARENTHETICAL = re.compile(r"\([^()]*\)")


@attrs.frozen
class Cue:
    """One relation cue of a sentence: its words, where it starts (token index), its level
    before hedging (1 correlational, 3 causal), and whether it is hedged or negated."""

    words: str
    position: int
    level: int
    hedge: str | None = None
    negation: str | None = None

    @property
    def strength(self) -> int:
        if self.level == 3 and self.hedge is not None:
            return 2
        return self.level


def _normalise(sentence: str) -> str:
    text = sentence.replace("’", "'").replace("‘", "'").lower()
    text = _CITATION.sub(" ", text)
    text = _PARENTHETICAL.sub(" ", text)
    text = re.sub(r"n't\b", " not", text)
    text = text.replace("can not", "cannot")
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=1)
def _verb_forms() -> dict[str, str]:
    """Every inflected form of the causal verbs, mapped to the verb."""
    forms: dict[str, str] = dict(_IRREGULAR)
    for verb in _CAUSAL_VERBS:
        stem = verb[:-1] if verb.endswith("e") else verb
        candidates = {verb, verb + "s", verb + "es", stem + "ed", stem + "ing"}
        if verb.endswith("y") and verb not in ("delay",):
            candidates |= {verb[:-1] + "ies", verb[:-1] + "ied"}
        if re.fullmatch(r"[a-z]*[^aeiou][aeiou][bdgmnpt]", verb) and verb not in ("benefit",):
            candidates |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
        for form in candidates:
            forms.setdefault(form, verb)
    return forms


_PARTICLE = {"lead": "to", "result": "in", "contribute": "to"}


def _char_to_token(text: str, tokens: list[re.Match[str]], start: int) -> int:
    for index, token in enumerate(tokens):
        if token.end() > start:
            return index
    return len(tokens)


_NOT_HEALTH = frozenset(
    {
        "explain",
        "understand",
        "inform",
        "clarify",
        "identify",
        "guide",
        "determine",
        "us",
        "you",
        "readers",
        "clinicians",
        "doctors",
        "researchers",
        "people",
        "decide",
        "answer",
    }
)
_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got"})
_MODALS = frozenset({"may", "might", "could", "can", "would", "will", "should", "must", "cannot"})
_SUBJECT_WORDS = frozenset(
    {
        "it",
        "they",
        "we",
        "which",
        "that",
        "who",
        "this",
        "also",
        "not",
        "do",
        "does",
        "did",
        "both",
        "each",
        "further",
        "thereby",
        "directly",
        "still",
        "often",
        "usually",
        "actually",
        "indeed",
        "thus",
        "and",
        "or",
        "generally",
        "consistently",
    }
)
#: "appears to reduce", "was shown to improve", "helps to relieve": infinitives that carry the
#: finding. Any other "to" + verb is one of purpose ("strategies to reduce", "aimed to improve").
_INFINITIVE_FRAMES = frozenset(
    {
        "appear",
        "appears",
        "appeared",
        "seem",
        "seems",
        "seemed",
        "likely",
        "tend",
        "tends",
        "tended",
        "potential",
        "help",
        "helps",
        "helped",
        "able",
        "shown",
        "found",
        "known",
        "thought",
        "believed",
        "expected",
        "proven",
        "proved",
        "reported",
        "demonstrated",
        "observed",
        "said",
        "unlikely",
        "continue",
        "continues",
        "go",
        "goes",
        "went",
        "used",
        "serve",
        "serves",
        "served",
    }
)


#: Causal verbs that are not also nouns or adjectives: a bare form of one is a verb wherever
#: it follows a word that is not a determiner ("antivirals for HCV improve kidney function").
_VERBS_ONLY = frozenset(
    {
        "improve",
        "reduce",
        "prevent",
        "protect",
        "enhance",
        "worsen",
        "alleviate",
        "relieve",
        "inhibit",
        "suppress",
        "promote",
        "induce",
        "restore",
        "stimulate",
        "exacerbate",
        "aggravate",
        "attenuate",
        "mitigate",
        "ameliorate",
        "impair",
        "diminish",
        "lessen",
        "hinder",
        "hamper",
        "counteract",
        "predispose",
        "elevate",
        "accelerate",
        "facilitate",
        "modulate",
        "regulate",
        "weaken",
        "strengthen",
        "eliminate",
        "minimise",
        "minimize",
        "double",
        "halve",
        "triple",
        "restrict",
        "avoid",
        "maintain",
        "contribute",
        "cause",
        "prolong",
        "increase",
        "decrease",
        "lower",
        "raise",
        "boost",
        "affect",
        "alter",
    }
)
_DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "their",
        "its",
        "his",
        "her",
        "our",
        "your",
        "both",
        "all",
        "some",
        "many",
        "most",
        "these",
        "those",
        "this",
        "that",
        "any",
        "each",
        "every",
        "no",
    }
)


def _back(words: list[str], index: int) -> int:
    """The index of the word before ``index``, skipping adverbs in -ly."""
    index -= 1
    while index >= 0 and words[index].endswith("ly") and words[index] not in ("only", "early"):
        index -= 1
    return index


def _is_verb(words: list[str], index: int, verb: str) -> bool:
    """Whether the causal word at ``index`` is used as a verb of the sentence."""
    word = words[index]
    before = _back(words, index)
    previous = words[before] if before >= 0 else ""
    if previous == "to":
        frame = words[before - 1] if before >= 1 else ""
        return frame in _INFINITIVE_FRAMES
    if previous in _MODALS or previous in _SUBJECT_WORDS:
        return True
    following = words[index + 1] if index + 1 < len(words) else ""
    if word.endswith("ing"):
        # "is reducing", "..., leading to", "saving the lives"; otherwise a gerund or modifier
        return previous in _AUXILIARIES or (
            previous not in _MODIFIER_CONTEXT and (following in _DETERMINERS or verb in _PARTICLE)
        )
    participle = word.endswith("ed") or word in ("led", "driven", "made", "kept")
    if participle:
        if previous in _AUXILIARIES:
            return True
        return (
            bool(previous) and previous not in _MODIFIER_CONTEXT and previous not in (",", ";", ":")
        )
    if previous in _MODIFIER_CONTEXT or previous in ("such", ",", ";", ":", ""):
        return word != verb and previous not in _MODIFIER_CONTEXT and bool(previous)
    if word == verb:  # a bare form: after a plural subject ("statins reduce") or a modal
        if following in _DETERMINERS or verb in _VERBS_ONLY:
            return previous not in _DETERMINERS
        return previous.endswith("s") and not previous.endswith("ss")
    return True  # a third-person form after a noun: "LDN reduces"


def _causal_verbs(words: list[str]) -> Iterator[tuple[int, str]]:
    forms = _verb_forms()
    for index, word in enumerate(words):
        verb = forms.get(word)
        if verb is None:
            continue
        particle = _PARTICLE.get(verb)
        if particle is not None and (index + 1 >= len(words) or words[index + 1] != particle):
            continue
        if verb == "treat" and word != "treats":
            continue  # "treated patients", "treating physicians": who got it, not its effect
        if not _is_verb(words, index, verb):
            continue
        if verb in _CHANGE_VERBS and word != verb:
            following = words[index + 1] if index + 1 < len(words) else "."
            if following in _NOT_AN_OBJECT:
                yield index, f"{word} {following}".strip(" ,.;:!?") + " (a change)"
                continue
        yield index, f"{word} {particle}" if particle else word


def _hedge_of(words: list[str], position: int, text_before: str) -> str | None:
    """The hedge governing the cue at ``position``: the modals and hedging adverbs shortly
    before it (in the same clause; "may possibly" is a double hedge), or a hedging verb
    earlier in the sentence."""
    found: list[str] = []
    for back in range(1, 5):
        index = position - back
        if index < 0 or words[index] in (",", ";", ":", "."):
            break
        if words[index] in _HEDGE_MODALS or words[index] in _HEDGE_ADVERBS:
            found.insert(0, words[index])
    if found:
        return " ".join(found)
    verb = _HEDGE_VERBS.search(text_before)
    return verb.group(0).strip() if verb else None


def _negation_of(words: list[str], position: int, text_before: str) -> str | None:
    for back in range(1, 5):
        index = position - back
        if index < 0 or words[index] in (",", ";", ":", ".", "but", "although", "while"):
            break
        if words[index] in _NEGATORS:
            if words[index] == "not" and index + 1 < len(words) and words[index + 1] == "only":
                continue
            return words[index]
    tail = text_before[-40:]
    found = _NEGATING_PHRASES.search(tail)
    return found.group(0) if found else None


def cues(sentence: str) -> tuple[Cue, ...]:
    """Every relation cue of ``sentence``, in order, with its hedge and negation."""
    text = _normalise(sentence)
    tokens = list(_TOKEN.finditer(text))
    words = [token.group(0) for token in tokens]
    found: list[Cue] = []
    taken: set[int] = set()

    def add(position: int, cue_words: str, level: int) -> None:
        if position in taken or position >= len(words):
            return
        span = len(cue_words.split())
        taken.update(range(position, position + span))
        before = text[: tokens[position].start()]
        found.append(
            Cue(
                cue_words,
                position,
                level,
                _hedge_of(words, position, before),
                _negation_of(words, position, before),
            )
        )

    for match in _CORRELATIONAL.finditer(text):
        add(_char_to_token(text, tokens, match.start()), match.group(0), 1)
    for match in _CAUSAL_PREDICATES.finditer(text):
        add(_char_to_token(text, tokens, match.start()), match.group(0), 3)
    for match in _CAUSAL_ADJECTIVES.finditer(text):
        position = _char_to_token(text, tokens, match.start())
        before = _back(words, position)
        after = (
            words[position + len(match.group(0).split())]
            if position + len(match.group(0).split()) < len(words)
            else ""
        )
        if before >= 0 and (
            words[before] in _PREDICATIVE
            # a headline's predicate without its verb: "X effective against Y"
            or (words[before] not in _DETERMINERS and after in ("for", "in", "against", "among"))
        ):
            add(position, match.group(0), 3)
    for position, cue_words in _causal_verbs(words):
        add(position, cue_words, 1 if cue_words.endswith("(a change)") else 3)
    recommendation = _RECOMMENDATION.search(text)
    if recommendation is not None:
        limit = _char_to_token(text, tokens, recommendation.start())
        found = [cue for cue in found if cue.position < limit]
    return tuple(sorted(found, key=lambda cue: cue.position))


def score(sentence: str) -> Strength:
    """The wording strength of one sentence (see the module's docstring for the rules)."""
    found = cues(sentence)
    if not found:
        return Strength(0, (), ("no relation stated",))
    text = _normalise(sentence)
    head = found[0]
    notes: list[str] = []
    if head.negation is not None:
        notes.append(f"negated by {head.negation!r}: the relation is stated, as absent")
    if head.hedge is not None and head.level == 3:
        double = " (a double hedge: still conditional)" if " " in head.hedge.strip() else ""
        notes.append(f"hedged by {head.hedge!r}{double}")
    shown = [head.words]
    if head.hedge:
        shown[:0] = head.hedge.split() if head.level == 3 else [head.hedge]
    if head.negation:
        shown.insert(0, head.negation)
    del text
    return Strength(head.strength, tuple(shown), tuple(notes))
