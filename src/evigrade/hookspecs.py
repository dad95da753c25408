"""The hooks a plugin may implement. Every built-in design, assessor, scheme, output format,
importer and exporter is registered through these same hooks (the modules named in
``evigrade.plugins.DEFAULT_PLUGINS``).

A plugin is a module or object with functions named like the hooks below, decorated with
``evigrade.plugin.hookimpl``, and published under the ``evigrade`` entry-point group::

    [project.entry-points.evigrade]
    myscheme = "evigrade_myscheme"

Each ``register`` callback takes one object and checks its type; registering a name that is
already taken is reported as a failure of the plugin, and the first registration stands.
A hook that raises is reported by plugin name and the other plugins still load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from .kinds import (
        Assessor,
        ClaimScorer,
        Design,
        Exporter,
        Extractor,
        Importer,
        OutputFormat,
        Scheme,
    )

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("evigrade")
#: Decorate a plugin's hook functions with this.
hookimpl = pluggy.HookimplMarker("evigrade")


@hookspec
def evigrade_register_designs(register: Callable[[Design], None]) -> None:
    """Add study designs to the taxonomy.

    Called once, when the registry is first built. Call ``register(Design(...))`` for each
    design; its ``id`` becomes valid in evidence files' ``design`` and ``of`` keys. Returns
    nothing.
    """


@hookspec
def evigrade_register_assessors(register: Callable[[Assessor], None]) -> None:
    """Add assessors: rules that judge one GRADE domain for a body of evidence.

    Called once, when the registry is first built. Call ``register(Assessor(...))`` for
    each; when several assessors judge the same domain, the judgment that moves the grade
    most is used and the rationale names its rule. Returns nothing.
    """


@hookspec
def evigrade_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Add grading schemes.

    Called once, when the registry is first built. Call ``register(Scheme(...))`` for each;
    its ``name`` is what ``evigrade grade --scheme NAME`` selects. A scheme's ``grade``
    function receives an :class:`evigrade.plugin.Assessment` and returns a
    :class:`evigrade.plugin.Grade`. Returns nothing.
    """


@hookspec
def evigrade_register_formats(register: Callable[[OutputFormat], None]) -> None:
    """Add output formats for ``evigrade grade --format NAME``.

    Called once, when the registry is first built. Call ``register(OutputFormat(...))`` for
    each; its ``render`` function receives an :class:`evigrade.Report` and returns
    text. A format made with ``takes_options=True`` is called as ``render(report,
    options)``, ``options`` an :class:`evigrade.plugin.RenderOptions` (the ``detail``
    asked for, the terminal's ``width`` or ``None``). Returns nothing.
    """


@hookspec
def evigrade_register_importers(register: Callable[[Importer], None]) -> None:
    """Add importers: readers of source files (PubMed XML, trial registries ...).

    Called once, when the registry is first built. Call ``register(Importer(...))`` for each;
    its ``name`` is what ``evigrade import NAME`` selects. Its ``read(path, registry)`` yields
    one :class:`evigrade.plugin.ImportRecord` per record of the file: a study and its claims,
    or the problem with a bad record (with its position); ``registry`` says which designs are
    known. Returns nothing.
    """


@hookspec
def evigrade_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Add exporters: writers of documents for other systems (FHIR ...).

    Called once, when the registry is first built. Call ``register(Exporter(...))`` for each;
    its ``name`` is what ``evigrade export NAME`` selects. Its ``write(evidence, registry)``
    returns a JSON-serializable document. Returns nothing.
    """


@hookspec
def evigrade_register_claim_scorers(register: Callable[[ClaimScorer], None]) -> None:
    """Add wording-strength scorers for ``evigrade check`` and ``evigrade strength``.

    Called once, when the registry is first built. Call ``register(ClaimScorer(...))`` for
    each; its ``name`` is what ``--scorer NAME`` selects (the built-in one is ``rules``). Its
    ``score(sentence)`` returns an :class:`evigrade.plugin.Strength`: level 0 (no
    relationship), 1 (correlational), 2 (conditional causal) or 3 (direct causal), and the
    cue words. Returns nothing.
    """


@hookspec
def evigrade_register_extractors(register: Callable[[Extractor], None]) -> None:
    """Add extractors of references or claims for ``evigrade check``.

    Called once, when the registry is first built. Call ``register(Extractor(...))`` for
    each; its ``kind`` is ``references`` or ``claims`` and its ``name`` selects it (the
    built-in ones are ``rules``). A references extractor's ``extract(article)`` returns a
    tuple of :class:`evigrade.article.references.Reference`; a claims extractor's
    ``extract(reading)`` returns a tuple of :class:`evigrade.article.claims.FoundClaim`.
    Returns nothing.
    """


@hookspec
def evigrade_register_commands(register: Callable[[click.Command], None]) -> None:
    """Add sub-commands to the ``evigrade`` command line.

    Called once, when the registry is first built. Call ``register(command)`` with a
    ``click.Command`` for each; its ``name`` is the sub-command (``evigrade NAME``). A name
    that a built-in command or another plugin already has is refused. Returns nothing.
    """
