"""Check an article: from a health article's text to its claims, their evidence and grades, and
the claims worded more strongly than their evidence allows.

What plugins register for it, the wording-strength scale (:class:`~evigrade.kinds.Strength`),
its scorers (:class:`~evigrade.kinds.ClaimScorer`) and extractors of references or claims
(:class:`~evigrade.kinds.Extractor`), are kinds of :mod:`evigrade.kinds`. The checker itself is
in :mod:`evigrade.article.check`; the built-in rule-based scorer and extractors are registered
through the plugin hooks by :mod:`evigrade.builtin.article`, as any plugin's would be. The
checker is an application of evigrade's public API: it sits at the top, beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..kinds import EXTRACTOR_KINDS, STRENGTH_LABELS, ClaimScorer, Extractor, Strength

if TYPE_CHECKING:
    from ..kinds import Registry

__all__ = [
    "DEFAULT",
    "EXTRA",
    "EXTRACTOR_KINDS",
    "STRENGTH_LABELS",
    "ClaimScorer",
    "Extractor",
    "Strength",
    "claim_strength",
    "require",
]

#: The optional dependencies the checker needs: ``pip install 'evigrade[check]'``.
EXTRA = "check"

#: The name of the built-in scorer and extractors.
DEFAULT = "rules"


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


def claim_strength(sentence: str, *, registry: Registry, scorer: str | None = None) -> Strength:
    """How strongly ``sentence`` words a finding: a :class:`~evigrade.kinds.Strength` with
    its level (0 none, 1 correlational, 2 conditional causal, 3 direct causal) and cues, by the
    registered scorer ``scorer`` (default: the built-in ``rules``)."""
    from ..plugins import guard

    chosen = registry.scorer(scorer or DEFAULT)
    with guard(registry, "scorer", chosen.name):
        result = chosen.score(sentence)
    if not isinstance(result, Strength):
        raise TypeError(f"scorer {chosen.name!r} returned {type(result).__name__}, not a Strength")
    return result
