"""evigrade: grade the evidence behind health claims.

Load an evidence file, validate it against the published schema, and grade each claim under
GRADE, Oxford CEBM 2011, the evidence pyramid, or any scheme a plugin adds::

    import evigrade

    evidence = evigrade.load("examples/ldn-multiple-sclerosis.json")
    report = evigrade.grade_file(evidence)
    for result in report.results:
        print(result.claim.id, result.grades["grade"].label)

The public names are those of :mod:`evigrade.api` (its ``__all__``), imported when first used,
so that ``import evigrade`` (and the command line) loads only what is asked for. What plugin
authors need is in :mod:`evigrade.plugin`.
"""

from __future__ import annotations

import importlib

#: typing.TYPE_CHECKING without importing typing, which ``import evigrade`` does not need.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api import *  # noqa: F403 - the public API, for type checkers
    from .version import __version__ as __version__


def __getattr__(name: str) -> Any:
    """A submodule, or a public name (from :mod:`evigrade.api`), imported when first used
    (PEP 562)."""
    if name == "__all__":
        names: list[str] = [*_api().__all__, "__version__"]
        return names
    if name == "__version__":
        from .version import __version__

        return __version__
    if not name.startswith("__"):
        import importlib.util  # (not before a name is asked for: it imports contextlib ...)

        if importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f"{__name__}.{name}")
    api = _api()
    if name in api.__all__:
        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _api() -> Any:
    return importlib.import_module(".api", __name__)


def __dir__() -> list[str]:
    import pkgutil

    submodules = (module.name for module in pkgutil.iter_modules(__path__))  # noqa: F405
    return sorted({*globals(), *_api().__all__, "__version__", *submodules})
