"""Drafting the studies: one for each reference, told from its title and from what the article
says of it, and one for each study the article describes without a reference.

A sentence describes a study when it introduces one ("a pilot trial soon followed, enrolling 40
people", "a retrospective study looked at 215 patients", "experimental studies in mice", "a
single case report", "anecdotal reports on social media"). The description is attributed to the
references that sentence cites, else to those the next cited sentence of the passage cites,
else to a listed reference of the same year and kind that the text cites nowhere; a description
that matches no reference becomes a study of its own. The uncited sentences that go on about the
same study ("Over six months, ...", "They found that ...") are part of its description. The
strongest design cue of the title and the description decides the design; ``n`` is only ever a
number the text states; a design no cue tells is said to be not told.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from .citations import Citation, cited_ids
from .descriptions import (
    CONTINUES,
    JOURNAL,
    NULL_RESULT,
    POPULATION,
    YEAR,
    Description,
    Result,
    find_descriptions,
)
from .designs import (
    HUMAN_PRIMARY,
    DesignCue,
    HumanData,
    design_cues,
    duration_of,
    extras_of,
    human_data,
    size_of,
)
from .draft import slug
from .references import Reference
from .text import Article, content_words

__all__ = ["DraftStudy", "Parts", "draft_studies", "parts_of"]


@attrs.frozen
class DraftStudy:
    """A drafted study: its id, the reference it is (if any), its design and how that was told,
    what the article states of it, and where each value came from. ``part`` is ``"animal"`` or
    ``"human"`` for the two studies drafted from one reference that reports both animal
    experiments and data in people with a disease (:func:`parts_of`), else None."""

    id: str
    design: str
    told: str
    certain: bool
    reference: Reference | None = None
    n: int | None = None
    species: str | None = None
    population: str | None = None
    duration: str | None = None
    pilot: bool | None = None
    randomized: bool | None = None
    control: str | None = None
    blinding: str | None = None
    status: str | None = None
    year: int | None = None
    journal: str | None = None
    described_in: tuple[int, ...] = ()
    results: tuple[Result, ...] = ()
    sources: dict[str, str] = attrs.field(factory=dict, hash=False)
    part: str | None = None

    @property
    def kind(self) -> str:
        return self.reference.kind if self.reference is not None else "described"


def _pick(
    description: Description, candidates: Sequence[Reference], titles: dict[str, list[DesignCue]]
) -> list[Reference]:
    """Which of the cited references a description speaks of."""
    scholarly = [r for r in candidates if r.kind != "web-page"]
    if not scholarly:
        return []
    if description.plural:
        return scholarly
    untold = [r for r in scholarly if not any(c.strength == 3 for c in titles.get(r.id, []))]
    if untold:
        return untold
    wanted = {c.design for c in description.cues}
    agreeing = [r for r in scholarly if wanted & {c.design for c in titles.get(r.id, [])}]
    return agreeing[:1] or scholarly[:1]


def draft_studies(
    article: Article,
    texts: Sequence[str],
    citations: Sequence[Sequence[Citation]],
    references: Sequence[Reference],
    *,
    reference_blocks: frozenset[int] = frozenset(),
) -> tuple[DraftStudy, ...]:
    """One draft study for each reference the article lists or describes, and one for each
    study it describes without a reference. ``texts`` are the sentences without citations."""
    by_id = {r.id: r for r in references}
    titles = {r.id: design_cues(f"{r.title}. {r.journal}") for r in references}
    cited_anywhere = {i for cs in citations for i in cited_ids(cs)}
    notes: dict[str, list[tuple[Description | None, int]]] = {}
    free: list[tuple[Description, list[int]]] = []
    extra: list[tuple[Reference, Description, int]] = []
    sentences = article.sentences
    for index, sentence in enumerate(sentences):
        if sentence.block in reference_blocks:
            continue
        descriptions = find_descriptions(sentence, texts[index])
        if not descriptions:
            continue
        target = [by_id[i] for i in cited_ids(citations[index]) if i in by_id]
        between: list[int] = []
        look = index + 1
        while not target and look < len(sentences) and look <= index + 5:
            ahead = sentences[look]
            if ahead.is_heading:
                break
            if find_descriptions(ahead, texts[look]):
                # "Other studies, including randomised trials ... One 17-week trial ... [7], [8]"
                if descriptions[0].plural:
                    target = [by_id[i] for i in cited_ids(citations[look]) if i in by_id]
                break
            if ahead.block != sentence.block and look > index + 3:
                break
            ids = cited_ids(citations[look])
            if ids:
                target = [by_id[i] for i in ids if i in by_id]
                between.append(look)
                break
            between.append(look)
            look += 1
        if not target:
            between = [i for i in between if sentences[i].block == sentence.block]
        if not target:
            between = [i for i in between if CONTINUES.match(texts[i])]
        # the uncited sentences of the same paragraph after it that go on about the same study
        after = between[-1] + 1 if between else index + 1
        while (
            after < len(sentences)
            and sentences[after].block == sentence.block
            and not cited_ids(citations[after])
            and not find_descriptions(sentences[after], texts[after])
            and CONTINUES.match(texts[after])
        ):
            between.append(after)
            after += 1
        if len(descriptions) > 1 and len(descriptions) == len(target):
            chosen = [[r] for r in target]
        else:
            chosen = [_pick(d, target, titles) if target else [] for d in descriptions]
        for description, picked in zip(descriptions, chosen, strict=True):
            for reference in picked:
                notes.setdefault(reference.id, []).append((description, index))
            if not picked:
                free.append((description, []))
        picked_all = [r for group in chosen for r in group]
        for continuation in between:
            own_cue = next((c for c in design_cues(texts[continuation]) if c.strength == 3), None)
            if own_cue is not None and own_cue.design in ("expert-opinion", "anecdote"):
                whole = Description(
                    continuation, own_cue.words, 0, len(texts[continuation]), False, (own_cue,)
                )
                if len(picked_all) == 1:
                    extra.append((picked_all[0], whole, continuation))
                else:
                    free.append((whole, []))
                continue
            for reference in picked_all:
                notes.setdefault(reference.id, []).append((None, continuation))
            if not picked_all and free:
                free[-1][1].append(continuation)
    # descriptions the text does not cite: a listed reference cited nowhere, of the same year
    # and a design that agrees, else a study of their own
    drafted: list[DraftStudy] = []
    unmatched: list[tuple[Description, list[int]]] = []
    for description, more in free:
        matched = _match_listed(description, texts, references, titles, cited_anywhere, notes)
        if matched is not None:
            notes.setdefault(matched.id, []).append((description, description.sentence))
            notes[matched.id].extend((None, i) for i in more)
        else:
            unmatched.append((description, more))
    for reference in references:
        if reference.listed or reference.id in notes:
            entries = notes.get(reference.id, [])
            parts = parts_of(reference, entries, texts, titles)
            if parts is None:
                drafted.append(_draft(reference.id, reference, entries, texts, titles))
            else:
                drafted += _parts(reference, entries, texts, titles, parts)
    for description, more in unmatched:
        entries = [(description, description.sentence), *((None, i) for i in more)]
        drafted.append(_draft(None, None, entries, texts, titles))
    for reference, description, position in extra:
        study = _draft(None, None, [(description, position)], texts, titles)
        drafted.append(
            attrs.evolve(
                study,
                id=f"{_slug_for(reference, None)}-{study.design}",
                reference=attrs.evolve(reference, text=reference.text, kind="reported-in"),
                told=f"{study.told}, reported in reference {reference.id}",
            )
        )
    return tuple(_unique_ids(drafted))


def _match_listed(
    description: Description,
    texts: Sequence[str],
    references: Sequence[Reference],
    titles: dict[str, list[DesignCue]],
    cited_anywhere: set[str],
    notes: dict[str, list[tuple[Description | None, int]]],
) -> Reference | None:
    text = texts[description.sentence][description.start : description.end]
    year = YEAR.search(texts[description.sentence])
    wanted = {c.design for c in description.cues}
    best: tuple[int, Reference] | None = None
    for reference in references:
        if not reference.listed or reference.id in cited_anywhere or reference.kind == "web-page":
            continue
        if any(d is not None for d, _ in notes.get(reference.id, [])):
            continue
        if year is not None and reference.year is not None and int(year.group(1)) != reference.year:
            continue
        title_designs = {c.design for c in titles.get(reference.id, [])}
        score = 2 * len(wanted & title_designs) + len(
            content_words(text) & content_words(reference.title)
        )
        if year is not None and reference.year is not None:
            score += 2
        pilot_of_trial = {"single-arm-trial", "rct"} & wanted and "rct" in title_designs
        if wanted and title_designs and not wanted & title_designs and not pilot_of_trial:
            continue
        if score >= 2 and (best is None or score > best[0]):
            best = (score, reference)
    return best[1] if best else None


#: What a reference is as a whole when its title names it so: never drafted as two parts.
_WHOLE = frozenset(
    {
        *("meta-analysis", "systematic-review", "guideline", "narrative-review"),
        *("expert-opinion", "mechanistic", "protocol", "anecdote"),
    }
)


@attrs.frozen
class Parts:
    """Why one reference is drafted as two studies: the animal cue and where it was read, the
    words that report data in people with a disease and where (its title, or the sentences of
    the article that say it)."""

    animal: DesignCue
    animal_where: str
    human: HumanData
    human_where: str
    sentences: tuple[int, ...] = ()


def parts_of(
    reference: Reference,
    entries: Sequence[tuple[Description | None, int]],
    texts: Sequence[str],
    titles: dict[str, list[DesignCue]],
) -> Parts | None:
    """Whether a reference reports both animal experiments and data in people with a disease,
    and so is drafted as two studies.

    The animal experiments are told by an animal cue of the title ("experimental autoimmune
    encephalomyelitis", "in mice") or of the article's description of the reference
    ("Experimental studies in mice ... [11]"); the data in people by the title ("levels are
    reduced in multiple sclerosis", "in patients with ...") or by a description of this
    reference alone ("a study of 40 patients with MS"). A title that names a review, a
    guideline, an opinion, a hypothesis or a protocol is one source, never split; and where
    only the article speaks of animals while the title names a study in people (a randomized
    trial, a cohort), the article's passage is taken to lump several references, not to
    split this one."""
    if not reference.listed or reference.kind == "web-page":
        return None
    title_cues = titles.get(reference.id, [])
    if any(c.strength == 3 and c.design in _WHOLE for c in title_cues):
        return None
    animal = next(
        ((c, f"reference {reference.id}, title") for c in title_cues if c.design == "animal"),
        None,
    )
    if animal is None:
        if any(c.strength == 3 and c.design in HUMAN_PRIMARY for c in title_cues):
            return None
        for description, sentence in entries:
            cues = design_cues(texts[sentence]) if description is None else description.cues
            cue = next((c for c in cues if c.design == "animal" and c.strength == 3), None)
            if cue is not None:
                animal = (cue, f"sentence {sentence}")
                break
    if animal is None:
        return None
    human = human_data(reference.title, bare=True)
    if human is not None:
        return Parts(animal[0], animal[1], human, f"reference {reference.id}, title")
    for description, sentence in entries:
        if description is None or description.plural:
            continue
        found = human_data(texts[sentence][description.start : description.end])
        if found is not None:
            return Parts(animal[0], animal[1], found, f"sentence {sentence}", (sentence,))
    return None


def _parts(
    reference: Reference,
    entries: Sequence[tuple[Description | None, int]],
    texts: Sequence[str],
    titles: dict[str, list[DesignCue]],
    parts: Parts,
) -> list[DraftStudy]:
    """The two studies of a reference that reports animal experiments and data in people."""
    animal = _draft(reference.id, reference, entries, texts, titles, parts, "animal")
    human = _draft(reference.id, reference, entries, texts, titles, parts, "human")
    who = f"people with {parts.human.population}"
    animal = attrs.evolve(
        animal,
        told=f"{animal.told}; the data in {who} ({parts.human_where}: "
        f"{parts.human.words!r}) are drafted as a study of their own",
    )
    human = attrs.evolve(
        human,
        id=f"{animal.id}-human",
        told=f"{human.told}; the animal experiments of the same reference "
        f"({parts.animal_where}: {parts.animal.words!r}) are drafted as a study of their own",
    )
    human.sources["design"] = human.told
    animal.sources["design"] = animal.told
    return [animal, human]


def _draft(
    ref_id: str | None,
    reference: Reference | None,
    entries: Sequence[tuple[Description | None, int]],
    texts: Sequence[str],
    titles: dict[str, list[DesignCue]],
    parts: Parts | None = None,
    which: str | None = None,
) -> DraftStudy:
    """One drafted study; with ``parts``, the ``which`` (``"animal"`` or ``"human"``) part of
    a reference that reports both."""
    sources: dict[str, str] = {}
    cues: list[tuple[DesignCue, str]] = []
    if reference is not None and reference.kind == "web-page":
        where = f"reference {reference.id}"
        return DraftStudy(
            id=_slug_for(reference, None),
            design="expert-opinion",
            told=f"{where} is a web page, not a study",
            certain=True,
            reference=reference,
            year=reference.year,
            sources={"design": f"{where}: {reference.text[:80]}"},
        )
    if reference is not None and reference.listed:
        cues.extend((c, f"reference {reference.id}, title") for c in titles.get(reference.id, []))
    described = sorted({i for _, i in entries})

    def text_of(description: Description | None, sentence: int) -> str:
        if description is None:
            return texts[sentence]
        return texts[sentence][description.start : description.end]

    description_text = ""
    for description, sentence in entries:
        if description is not None:
            segment = texts[sentence][description.start : description.end]
            description_text += " " + segment
            cues.extend((c, f"sentence {sentence}: {c.words!r}") for c in description.cues)
        else:
            description_text += " " + texts[sentence]
            for cue in design_cues(texts[sentence]):
                if cue.strength == 3 and cue.design == "animal":
                    cues.append((cue, f"sentence {sentence}: {cue.words!r}"))
    human_told = None
    sized = entries
    if which == "animal":
        cues = [pair for pair in cues if pair[0].design == "animal"]
    elif which == "human" and parts is not None:
        own = tuple(f"sentence {i}:" for i in parts.sentences)
        cues = [
            (cue, where)
            for cue, where in cues
            if cue.design in HUMAN_PRIMARY
            and cue.strength >= 2
            and (where.endswith(", title") or where.startswith(own or ("-",)))
        ]
        sized = [(d, i) for d, i in entries if i in parts.sentences]
        if not cues:
            words = parts.human.words
            cues = [(DesignCue("cross-sectional", 2, words), parts.human_where)]
            human_told = (
                f"{parts.human_where}: {words!r}: data in people with "
                f"{parts.human.population}, compared with others at one time, as the words "
                "name no design of their own: cross-sectional"
            )
    cues.sort(key=lambda pair: -pair[0].strength)
    if cues:
        chosen, where = cues[0]
        if chosen.design == "single-arm-trial" and any(c.design == "rct" for c, _ in cues):
            chosen, where = next(pair for pair in cues if pair[0].design == "rct")
        design = chosen.design
        told = f"{where}" if where.startswith("sentence") else f"{where}: {chosen.words!r}"
        told = human_told or told
        certain = chosen.strength >= 2
    else:
        design = "narrative-review"
        told = (
            "not told: neither the title nor the article names a design; drafted as a "
            "narrative review, which is not graded, until a reviewer reads the paper"
        )
        certain = False
    sources["design"] = told
    extras: dict[str, object] = {}
    title = f"{reference.title}. {reference.journal}" if reference and reference.listed else ""
    for text, where in ((title, "title"), (description_text, "the article")):
        for key, value in extras_of(text).items():
            if key not in extras:
                extras[key] = value
                sources[key] = f"{where}"
    species = next((c.species for c, _ in cues if c.design == "animal" and c.species), None)
    if design == "animal" and species:
        sources["species"] = next(w for c, w in cues if c.species == species)
    of = {"animal": "animals", "human": "people"}.get(which or "")
    n = size = None
    for description, sentence in sized:
        found = size_of(text_of(description, sentence), of)
        if found is not None:
            size = found
            sources["n"] = f"sentence {sentence}: {found[1]!r}"
            break
    if size is None and reference is not None and reference.listed:
        size = size_of(reference.title, of)  # "a randomized trial of 300 adults"
        if size is not None:
            sources["n"] = f"reference {reference.id}, title: {size[1]!r}"
    if design == "case-report":
        n = 1
        sources.setdefault("n", "a case report has one patient")
    elif size is not None:
        n = size[0]
    duration = None
    for description, sentence in sized:
        found_duration = duration_of(text_of(description, sentence))
        if found_duration is not None:
            duration = found_duration[0]
            sources["duration"] = f"sentence {sentence}: {found_duration[1]!r}"
            break
    population = None
    if which == "human" and parts is not None:
        population = parts.human.population
        sources["population"] = f"{parts.human_where}: {parts.human.words!r}"
    for description, sentence in entries if which is None else ():
        match = POPULATION.search(text_of(description, sentence))
        if match is not None:
            population = next(g for g in match.groups() if g).strip()
            sources["population"] = f"sentence {sentence}: {match.group(0)!r}"
            break
    year = reference.year if reference is not None and reference.listed else None
    journal = reference.journal or None if reference is not None and reference.listed else None
    for _, sentence in entries:
        if year is None:
            found_year = YEAR.search(texts[sentence])
            if found_year is not None:
                year = int(found_year.group(1))
                sources["year"] = f"sentence {sentence}: {found_year.group(0).strip()!r}"
        if journal is None:
            found_journal = JOURNAL.search(texts[sentence])
            if found_journal is not None:
                journal = found_journal.group(1).strip()
                sources["journal"] = f"sentence {sentence}: {found_journal.group(0)!r}"
    results = tuple(
        Result(clause.strip(), bool(NULL_RESULT.search(clause)), sentence)
        for description, sentence in sized
        if description is None or not description.plural  # what several studies found
        for clause in re.split(
            r",\s*but\s+|;\s*|\bbut\b|\bwhereas\b", text_of(description, sentence)
        )
        if clause.strip()
    )
    status = extras.get("status") if design == "protocol" else None
    if design == "protocol" and status is None:
        status = "planned"
    control = extras.get("control")
    if (
        design in ("retrospective-cohort", "prospective-cohort")
        and control is None
        and not re.search(
            r"\bcompar\w*|\bcontrols?\b|\bversus\b|\bthan\b|\bnon-?users?\b",
            description_text + title,
            re.I,
        )
    ):
        control = "none"
        sources["control"] = "no comparison group is mentioned in the title or the article"
    draft = DraftStudy(
        id="",
        design=design,
        told=told,
        certain=certain,
        reference=reference,
        n=n,
        species=species if design == "animal" else None,
        population=population,
        duration=duration,
        pilot=True if extras.get("pilot") else None,
        randomized=True if extras.get("randomized") and design == "protocol" else None,
        control=str(control) if control else None,
        blinding=str(extras["blinding"]) if "blinding" in extras else None,
        status=str(status) if status else None,
        year=year,
        journal=journal,
        described_in=tuple(described),
        results=results,
        sources=sources,
        part=which,
    )
    return attrs.evolve(draft, id=_slug_for(reference, draft))


def _slug_for(reference: Reference | None, draft: DraftStudy | None) -> str:
    if reference is not None and reference.listed:
        name = (
            reference.authors[0].split(",")[0]
            if reference.authors
            else (reference.title or "reference")
        )
        words = slug(name, words=3, keep_function_words=True).split("-")
        return "-".join([*words, str(reference.year or "nd")])
    if reference is not None:
        return f"reference-{slug(reference.id, keep_function_words=True)}"
    assert draft is not None
    label = draft.species if draft.design == "animal" and draft.species else draft.design
    return f"{label}-{draft.year}" if draft.year else f"{label}-reports"


def _unique_ids(drafted: Sequence[DraftStudy]) -> list[DraftStudy]:
    seen: dict[str, int] = {}
    out = []
    for study in drafted:
        base = study.id or "study"
        seen[base] = seen.get(base, 0) + 1
        out.append(study if seen[base] == 1 else attrs.evolve(study, id=f"{base}-{seen[base]}"))
    return out
