"""Check an article: from a health article's text to its claims, their evidence and grades, and
the claims worded more strongly than their evidence allows.

This module holds what plugins register and what callers receive first: the wording-strength
scale (:class:`Strength`), a scorer of it (:class:`ClaimScorer`) and an extractor of references
or claims (:class:`Extractor`). The checker itself is in :mod:`evigrade.article.check`; the
built-in rule-based scorer and extractors are registered through the plugin hooks by
:mod:`evigrade.article.builtin`, as any plugin's would be.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

__all__ = [
    "EXTRA",
    "EXTRACTOR_KINDS",
    "STRENGTH_LABELS",
    "ClaimScorer",
    "Extractor",
    "Strength",
    "claim_strength",
    "extractor",
    "require",
    "scorer",
]

#: The ordinal scale of wording strength (Yu, Li & Wang 2019; Sumner et al. 2014), weakest first.
STRENGTH_LABELS: tuple[str, ...] = ("none", "correlational", "conditional-causal", "direct-causal")

#: The optional dependencies the checker needs: ``pip install 'evigrade[check]'``.
EXTRA = "check"

#: What an extractor can extract.
EXTRACTOR_KINDS: tuple[str, ...] = ("references", "claims")


def _level(_instance: object, _attribute: object, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3:
        raise ValueError(f"strength level must be 0, 1, 2 or 3, found {value!r}")


@attrs.frozen
class Strength:
    """How strongly a sentence states a relationship: ``level`` 0 (none) to 3 (direct causal),
    the words that decided it (``cues``), and notes on negation and hedging."""

    level: int = attrs.field(validator=_level)
    cues: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``none``, ``correlational``, ``conditional-causal`` or ``direct-causal``."""
        return STRENGTH_LABELS[self.level]

    def to_data(self) -> dict[str, Any]:
        return {"strength": self.label, "level": self.level, "cues": list(self.cues)}


@attrs.frozen
class ClaimScorer:
    """A named scorer of wording strength: ``score(sentence)`` returns a :class:`Strength`."""

    name: str
    score: Callable[[str], Strength]
    description: str = ""


@attrs.frozen
class Extractor:
    """A named extractor of one ``kind`` (``references`` or ``claims``) from a read article.

    A ``references`` extractor's ``extract(article)`` receives the read article
    (:class:`evigrade.article.text.Article`) and returns its reference list as a tuple of
    :class:`evigrade.article.references.Reference`; a ``claims`` extractor's
    ``extract(reading)`` receives a :class:`evigrade.article.claims.Reading` (the article, its
    references and citations, and the scorer in use) and returns the claims it finds as a
    tuple of :class:`evigrade.article.claims.FoundClaim`.
    """

    name: str
    kind: str = attrs.field(validator=attrs.validators.in_(EXTRACTOR_KINDS))
    extract: Callable[..., Any]
    description: str = ""


def require(module: str) -> Any:
    """Import one of the checker's libraries, or raise ModuleNotFoundError saying how to install
    it (they come with the ``check`` extra)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ModuleNotFoundError(
            f"checking an article needs {module.split('.')[0]}, which is not installed: "
            f"pip install 'evigrade[{EXTRA}]'",
            name=module,
        ) from error


DEFAULT = "rules"


def _registry(registry: Any) -> Any:
    if registry is not None:
        return registry
    from ..plugins import get_registry

    return get_registry()


def scorer(name: str | None = None, *, registry: Any = None) -> ClaimScorer:
    """The registered wording-strength scorer ``name`` (default: the built-in ``rules``)."""
    table: Mapping[str, ClaimScorer] = _registry(registry).scorers
    key = name or DEFAULT
    if key not in table:
        raise ValueError(f"unknown scorer {key!r}; available: {', '.join(sorted(table)) or 'none'}")
    return table[key]


_find_scorer = scorer


def extractor(kind: str, name: str | None = None, *, registry: Any = None) -> Extractor:
    """The registered extractor of ``kind`` called ``name`` (default: ``rules``)."""
    table: Mapping[str, Extractor] = _registry(registry).extractors
    key = f"{kind}:{name or DEFAULT}"
    if key not in table:
        known = sorted(k.split(":", 1)[1] for k in table if k.startswith(kind + ":"))
        raise ValueError(
            f"unknown {kind} extractor {name or DEFAULT!r}; available: {', '.join(known) or 'none'}"
        )
    return table[key]


def claim_strength(sentence: str, *, scorer: str | None = None, registry: Any = None) -> Strength:
    """How strongly ``sentence`` words a finding: a :class:`~evigrade.article.Strength` with
    its level (0 none, 1 correlational, 2 conditional causal, 3 direct causal) and cues."""
    chosen = _find_scorer(scorer, registry=registry)
    result = chosen.score(sentence)
    if not isinstance(result, Strength):
        raise TypeError(f"scorer {chosen.name!r} returned {type(result).__name__}, not a Strength")
    return result
