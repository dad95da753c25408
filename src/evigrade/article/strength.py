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

from . import Strength, lexicon

__all__ = ["Cue", "cues", "score"]


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
    text = lexicon.CITATION.sub(" ", text)
    text = lexicon.PARENTHETICAL.sub(" ", text)
    text = re.sub(r"n't\b", " not", text)
    text = text.replace("can not", "cannot")
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=1)
def _verb_forms() -> dict[str, str]:
    """Every inflected form of the causal verbs, mapped to the verb."""
    forms: dict[str, str] = dict(lexicon.IRREGULAR)
    for verb in lexicon.CAUSAL_VERBS:
        stem = verb[:-1] if verb.endswith("e") else verb
        candidates = {verb, verb + "s", verb + "es", stem + "ed", stem + "ing"}
        if verb.endswith("y") and verb not in ("delay",):
            candidates |= {verb[:-1] + "ies", verb[:-1] + "ied"}
        if re.fullmatch(r"[a-z]*[^aeiou][aeiou][bdgmnpt]", verb) and verb not in ("benefit",):
            candidates |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
        for form in candidates:
            forms.setdefault(form, verb)
    return forms


def _char_to_token(text: str, tokens: list[re.Match[str]], start: int) -> int:
    for index, token in enumerate(tokens):
        if token.end() > start:
            return index
    return len(tokens)


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
        # "appears to reduce", "was shown to improve", "found an SVR to reduce"
        frames = words[max(0, before - 3) : before]
        return bool(lexicon.INFINITIVE_FRAMES.intersection(frames))
    if previous in lexicon.MODALS or previous in lexicon.SUBJECT_WORDS:
        return True
    following = words[index + 1] if index + 1 < len(words) else ""
    if word.endswith("ing"):
        if not previous:
            return False  # a gerund opening the sentence is its subject: "Stopping smoking ..."
        if previous in ("in", "at") and lexicon.EFFECT_BEFORE_GERUND & set(
            words[max(0, before - 6) : before]
        ):
            return True  # "effective in reducing", "the potential of X in preventing"
        # "is reducing", "..., leading to", "saving the lives", "catastrophes causing death";
        # otherwise a gerund or modifier
        return previous in lexicon.AUXILIARIES or (
            previous not in lexicon.MODIFIER_CONTEXT
            and (
                following in lexicon.DETERMINERS
                or verb in lexicon.PARTICLE
                or (verb in lexicon.VERBS_ONLY and previous.isalpha())
            )
        )
    participle = word.endswith("ed") or word in ("led", "driven", "made", "kept")
    if participle:
        if previous in lexicon.AUXILIARIES:
            return True
        if previous in ("has", "have", "had") and not word.endswith("ed"):
            return True  # a perfect: "has driven up", "had led to"
        if previous in lexicon.OBJECT_VERBS or following in lexicon.RISK_NOUNS:
            return False  # an adjective: "had increased use", "an increased risk of"
        if following in lexicon.DETERMINERS and previous not in lexicon.MODIFIER_CONTEXT:
            return True  # with its object: "..., improved the chances of"
        return (
            bool(previous)
            and previous not in lexicon.MODIFIER_CONTEXT
            and previous not in (",", ";", ":")
        )
    if previous in (",", ";", ":") and following in lexicon.DETERMINERS:
        return True  # after an apposition, with its object: "X, known as Y, increase the risk"
    if previous in lexicon.MODIFIER_CONTEXT or previous in ("such", ",", ";", ":", ""):
        return word != verb and previous not in lexicon.MODIFIER_CONTEXT and bool(previous)
    if word == verb:  # a bare form: after a plural subject ("statins reduce") or a modal
        if following in ("", ",", ".", ";", ":"):
            return False  # a noun ending its phrase: "colour and shape."
        if following in lexicon.DETERMINERS or verb in lexicon.VERBS_ONLY:
            return previous not in lexicon.DETERMINERS
        return previous.endswith("s") and not previous.endswith("ss")
    # a third-person form after a noun ("LDN reduces"), unless what follows shows a plural
    # noun: "hormonal changes, including ...", "benefits and risks"
    return following not in ("", ",", ";", ":", ".", "!", "?", "and", "or", "including", "such")


def _causal_verbs(words: list[str]) -> Iterator[tuple[int, str]]:
    forms = _verb_forms()
    for index, word in enumerate(words):
        verb = forms.get(word)
        if verb is None:
            continue
        particle = lexicon.PARTICLE.get(verb)
        if particle is not None and (index + 1 >= len(words) or words[index + 1] != particle):
            continue
        if verb == "treat" and word != "treats":
            continue  # "treated patients", "treating physicians": who got it, not its effect
        if not _is_verb(words, index, verb):
            continue
        if verb in lexicon.CHANGE_VERBS and word != verb:
            following = words[index + 1] if index + 1 < len(words) else "."
            if following in lexicon.NOT_AN_OBJECT:
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
        if words[index] in lexicon.HEDGE_MODALS or words[index] in lexicon.HEDGE_ADVERBS:
            found.insert(0, words[index])
    if found:
        return " ".join(found)
    verb = lexicon.HEDGE_VERBS.search(text_before)
    return verb.group(0).strip() if verb else None


def _negation_of(words: list[str], position: int, text_before: str) -> str | None:
    for back in range(1, 5):
        index = position - back
        if index < 0 or words[index] in (",", ";", ":", ".", "but", "although", "while"):
            break
        if words[index] in lexicon.NEGATORS:
            if words[index] == "not" and index + 1 < len(words) and words[index + 1] == "only":
                continue
            return words[index]
    tail = text_before[-40:]
    found = lexicon.NEGATING_PHRASES.search(tail)
    return found.group(0) if found else None


def cues(sentence: str) -> tuple[Cue, ...]:
    """Every relation cue of ``sentence``, in order, with its hedge and negation."""
    text = _normalise(sentence)
    tokens = list(lexicon.TOKEN.finditer(text))
    words = [token.group(0) for token in tokens]
    found: list[Cue] = []
    taken: set[int] = set()
    spans: dict[int, range] = {}  # a correlational cue's words

    def add(position: int, cue_words: str, level: int) -> None:
        if position >= len(words):
            return
        inside = next((p for p, span in spans.items() if position in span), None)
        if position in taken and not (level == 3 and inside is not None):
            return
        if inside == position and level == 3:
            found[:] = [c for c in found if c.position != position]
        span = len(cue_words.split())
        taken.update(range(position, position + span))
        if level == 1:
            spans[position] = range(position, position + span)
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

    for match in lexicon.CORRELATIONAL.finditer(text):
        add(_char_to_token(text, tokens, match.start()), match.group(0), 1)
    for match in lexicon.CAUSAL_PREDICATES.finditer(text):
        add(_char_to_token(text, tokens, match.start()), match.group(0), 3)
    for match in lexicon.CAUSAL_ADJECTIVES.finditer(text):
        position = _char_to_token(text, tokens, match.start())
        before = _back(words, position)
        after = (
            words[position + len(match.group(0).split())]
            if position + len(match.group(0).split()) < len(words)
            else ""
        )
        copula_article = (
            before >= 1
            and words[before] in ("a", "an")
            and words[before - 1] in lexicon.PREDICATIVE
        )
        if before >= 0 and (
            words[before] in lexicon.PREDICATIVE
            or copula_article  # "is a well-tolerated medicine", "an effective way to"
            # a headline's predicate without its verb: "X effective against Y"
            or (
                words[before] not in lexicon.DETERMINERS
                and after in ("for", "in", "against", "among")
            )
        ):
            add(position, match.group(0), 3)
    for position, cue_words in _causal_verbs(words):
        add(position, cue_words, 1 if cue_words.endswith("(a change)") else 3)
    # a causal verb or adjective inside a comparison ("higher BMI increases risk", "more
    # effective than placebo", "significantly reduced the rate of") is the relation stated
    causal = [c.position for c in found if c.level == 3]
    found = [
        c
        for c in found
        if not (c.level == 1 and any(p in spans.get(c.position, ()) for p in causal))
    ]
    recommendation = lexicon.RECOMMENDATION.search(text)
    if recommendation is not None:
        limit = _char_to_token(text, tokens, recommendation.start())
        found = [cue for cue in found if cue.position < limit]
        if lexicon.ADVICE.search(text) and not lexicon.REPORTING.search(
            text[: recommendation.start()]
        ):
            # the sentence recommends: "X should be preferred", "the role of X has to be
            # explored", "effective strategies to reduce X need to be developed"
            found = []
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
