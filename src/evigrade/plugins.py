"""The plugin manager: built-in plugins and the ``evigrade`` entry-point group, one registry.

Third-party plugins can be switched off with ``--no-plugins`` / ``--disable-plugin NAME`` on the
command line or ``EVIGRADE_DISABLE_PLUGINS`` (``all``, or names separated by commas) in the
environment. A plugin that fails to import, or raises in a hook, is recorded as a
:class:`PluginFailure` and skipped; the others still work.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import pluggy

from . import hookspecs
from ._entrypoints import EntryPoint, entry_points
from .hookspecs import hookimpl

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "PluginFailure",
    "PluginInfo",
    "Registry",
    "build_registry",
    "get_plugin_manager",
    "get_registry",
    "hookimpl",
    "reset",
]

ENTRY_POINT_GROUP = "evigrade"
DISABLE_ENV = "EVIGRADE_DISABLE_PLUGINS"

#: Built-in plugins, registered through the same hooks as third-party ones.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "evigrade.designs",
    "evigrade.assessors.builtin",
    "evigrade.schemes.grade",
    "evigrade.schemes.cebm",
    "evigrade.schemes.pyramid",
    "evigrade.formats.builtin",
    "evigrade.interop.pubmed",
    "evigrade.interop.ctgov",
    "evigrade.interop.fhir",
    "evigrade.article.builtin",
)

#: Built-in plugins registered through a light stand-in with the same hooks, which loads the
#: module itself only when its importer or exporter is used: module name -> stand-in module,
#: whose ``PLUGINS`` maps the module name to the plugin object.
_STAND_INS: dict[str, str] = {
    "evigrade.interop.pubmed": "evigrade.interop.builtin",
    "evigrade.interop.ctgov": "evigrade.interop.builtin",
    "evigrade.interop.fhir": "evigrade.interop.builtin",
}


@attrs.frozen
class PluginFailure:
    """A plugin that failed: which, where from, at what stage, and the error in one line."""

    plugin: str
    stage: str
    message: str
    distribution: str | None = None
    version: str | None = None

    def __str__(self) -> str:
        origin = f" ({self.distribution} {self.version})" if self.distribution else ""
        return f"plugin {self.plugin!r}{origin} failed while {self.stage}: {self.message}"


@attrs.frozen
class PluginInfo:
    """A plugin the manager knows of: where it comes from and what happened to it."""

    name: str
    distribution: str | None
    version: str | None
    builtin: bool
    status: str  # "loaded", "failed" or "disabled"
    hooks: tuple[str, ...] = ()


@attrs.define
class Registry:
    """Everything the plugins registered: designs, assessors, schemes, output formats."""

    designs: dict[str, Any] = attrs.field(factory=dict)
    assessors: dict[str, list[Any]] = attrs.field(factory=dict)
    schemes: dict[str, Any] = attrs.field(factory=dict)
    formats: dict[str, Any] = attrs.field(factory=dict)
    importers: dict[str, Any] = attrs.field(factory=dict)
    exporters: dict[str, Any] = attrs.field(factory=dict)
    #: The article checker's wording-strength scorers by name, and its extractors by
    #: ``"kind:name"`` (``"claims:rules"``).
    scorers: dict[str, Any] = attrs.field(factory=dict)
    extractors: dict[str, Any] = attrs.field(factory=dict)
    plugins: list[PluginInfo] = attrs.field(factory=list)
    failures: list[PluginFailure] = attrs.field(factory=list)
    owners: dict[tuple[str, str], str] = attrs.field(factory=dict)
    manager: pluggy.PluginManager | None = None

    def owner(self, kind: str, name: str) -> str:
        """The plugin that registered ``kind`` ``name`` (e.g. ``("scheme", "grade")``)."""
        return self.owners.get((kind, name), "?")

    def plugin(self, name: str) -> PluginInfo | None:
        return next((p for p in self.plugins if p.name == name), None)

    def failure(self, plugin: str, stage: str, error: BaseException | str) -> PluginFailure:
        """Describe a failure of ``plugin`` at ``stage``, naming its distribution."""
        info = self.plugin(plugin)
        message = error if isinstance(error, str) else _one_line(error)
        return PluginFailure(
            plugin,
            stage,
            message,
            info.distribution if info else None,
            info.version if info else None,
        )

    def fail(self, plugin: str, stage: str, error: BaseException | str) -> PluginFailure:
        """Record that ``plugin`` failed while loading or registering; return the record."""
        failure = self.failure(plugin, stage, error)
        self.failures.append(failure)
        return failure


def _one_line(error: BaseException, limit: int = 400) -> str:
    """The error's type and message on one line (every line of it, joined), never a traceback."""
    detail = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
    if len(detail) > limit:
        detail = detail[: limit - 1] + "…"
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def disabled_from_env() -> frozenset[str]:
    """Plugin names switched off by ``EVIGRADE_DISABLE_PLUGINS`` (``{"*"}`` for all)."""
    value = os.environ.get(DISABLE_ENV, "").strip()
    if not value:
        return frozenset()
    if value.lower() in ("all", "*", "1", "true", "yes"):
        return frozenset({"*"})
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def get_plugin_manager(
    *, disable: Iterable[str] = (), registry: Registry | None = None
) -> pluggy.PluginManager:
    """A plugin manager with the built-ins and every enabled entry-point plugin registered."""
    registry = registry if registry is not None else Registry()
    disabled = frozenset(disable) | disabled_from_env()
    manager = pluggy.PluginManager("evigrade")
    manager.add_hookspecs(hookspecs)
    version = _own_version()
    for module_name in DEFAULT_PLUGINS:
        try:
            module = _builtin_plugin(module_name)
            manager.register(module, name=module_name)
        except Exception as error:  # a broken installation: say so, keep the rest working
            registry.plugins.append(PluginInfo(module_name, "evigrade", version, True, "failed"))
            registry.fail(module_name, "loading", error)
            continue
        registry.plugins.append(
            PluginInfo(module_name, "evigrade", version, True, "loaded", _hooks(manager, module))
        )
    for entry_point in sorted(entry_points(ENTRY_POINT_GROUP), key=lambda e: e.name):
        _load_entry_point(manager, registry, entry_point, disabled)
    registry.manager = manager
    return manager


def _builtin_plugin(module_name: str) -> object:
    """The plugin object of a built-in: the module, or its light stand-in."""
    stand_in = _STAND_INS.get(module_name)
    if stand_in is None:
        return importlib.import_module(module_name)
    plugins: dict[str, object] = importlib.import_module(stand_in).PLUGINS
    return plugins[module_name]


def _load_entry_point(
    manager: pluggy.PluginManager,
    registry: Registry,
    entry_point: EntryPoint,
    disabled: frozenset[str],
) -> None:
    dist_name = entry_point.distribution
    dist_version = entry_point.version
    name = entry_point.name
    if "*" in disabled or name in disabled or (dist_name and dist_name in disabled):
        registry.plugins.append(PluginInfo(name, dist_name, dist_version, False, "disabled"))
        return
    if manager.has_plugin(name) or registry.plugin(name):
        registry.plugins.append(PluginInfo(name, dist_name, dist_version, False, "failed"))
        registry.fail(name, "loading", f"another plugin is already called {name!r}")
        return
    try:
        plugin = entry_point.load()
        unknown = sorted(
            attribute
            for attribute in dir(plugin)
            if attribute.startswith("evigrade_") and not hasattr(hookspecs, attribute)
        )
        if unknown:
            known = ", ".join(n for n in dir(hookspecs) if n.startswith("evigrade_"))
            raise ValueError(f"unknown hook {unknown[0]!r}; the hooks are {known}")
        manager.register(plugin, name=name)
    except Exception as error:
        registry.plugins.append(PluginInfo(name, dist_name, dist_version, False, "failed"))
        registry.fail(name, "loading", error)
        return
    registry.plugins.append(
        PluginInfo(name, dist_name, dist_version, False, "loaded", _hooks(manager, plugin))
    )


def _hooks(manager: pluggy.PluginManager, plugin: object) -> tuple[str, ...]:
    callers = manager.get_hookcallers(plugin) or []
    return tuple(sorted(caller.name for caller in callers))


def _own_version() -> str:
    from . import __version__

    return __version__


def call_hook(impl: Any, **kwargs: Any) -> Any:
    """Call one plugin's implementation of a hook with the arguments it asks for, by name
    (a hook function may take fewer arguments than the hookspec offers, as pluggy allows)."""
    return impl.function(**{name: kwargs[name] for name in impl.argnames if name in kwargs})


Added = list[tuple[dict[str, Any], str]]


def _call_each(
    manager: pluggy.PluginManager,
    registry: Registry,
    hook_name: str,
    stage: str,
    make_register: Callable[[str, Added], Callable[[Any], None]],
) -> None:
    """Call one register hook plugin by plugin, so that one failure stays with its plugin;
    what a failing plugin registered before it failed is taken back."""
    caller = getattr(manager.hook, hook_name)
    for impl in caller.get_hookimpls():
        plugin_name = impl.plugin_name
        added: Added = []
        try:
            call_hook(impl, register=make_register(plugin_name, added))
        except Exception as error:
            for table, key in reversed(added):
                value = table.get(key)
                if isinstance(value, list):
                    value.pop()
                    if not value:
                        del table[key]
                else:
                    table.pop(key, None)
            registry.fail(plugin_name, stage, error)
            _mark_failed(registry, plugin_name)


def _mark_failed(registry: Registry, plugin_name: str) -> None:
    info = registry.plugin(plugin_name)
    if info is not None and info.status == "loaded":
        registry.plugins[registry.plugins.index(info)] = attrs.evolve(info, status="failed")


def _check_design(design: Any) -> None:
    """A plugin's design must be citable and fit every built-in scheme's tables."""
    import re

    from .designs import FAMILIES, PYRAMID_TIERS

    where = f"design {design.id!r}"
    if not re.fullmatch(r"[a-z0-9]+(?:[._-][a-z0-9]+)*", design.id):
        raise ValueError(f"{where}: the id is not a lower-case slug, so no file can cite it")
    if design.family not in FAMILIES:
        raise ValueError(f"{where}: family {design.family!r} is not one of {FAMILIES}")
    if design.grade_start not in (None, 1, 2, 3, 4):
        raise ValueError(f"{where}: GRADE start {design.grade_start!r} is not 1..4")
    if design.cebm_level not in (None, 1, 2, 3, 4, 5):
        raise ValueError(f"{where}: CEBM level {design.cebm_level!r} is not 1..5")
    if design.pyramid_tier is not None and design.pyramid_tier not in PYRAMID_TIERS:
        raise ValueError(f"{where}: pyramid tier {design.pyramid_tier!r} is not 1..8")


def build_registry(*, disable: Iterable[str] = ()) -> Registry:
    """Load the plugins and collect what they register. Failures are kept, not raised."""
    from .assessors import Assessor
    from .designs import Design
    from .formats import OutputFormat
    from .interop import Exporter, Importer
    from .schemes import Scheme

    registry = Registry()
    manager = get_plugin_manager(disable=disable, registry=registry)

    def registrar(
        kind: str, cls: type, table: dict[str, Any], key: Callable[[Any], str]
    ) -> Callable[[str, Added], Callable[[Any], None]]:
        def make(plugin_name: str, added: Added) -> Callable[[Any], None]:
            def register(item: Any) -> None:
                if not isinstance(item, cls):
                    raise TypeError(f"registered {type(item).__name__}, expected a {cls.__name__}")
                if kind == "design":
                    _check_design(item)
                name = key(item)
                if kind == "assessor":
                    table.setdefault(name, []).append(item)
                    registry.owners[(kind, str(getattr(item, "name", name)))] = plugin_name
                    added.append((table, name))
                    return
                if name in table:
                    raise ValueError(
                        f"{kind} {name!r} is already registered by {registry.owner(kind, name)}"
                    )
                table[name] = item
                registry.owners[(kind, name)] = plugin_name
                added.append((table, name))

            return register

        return make

    _call_each(
        manager,
        registry,
        "evigrade_register_designs",
        "registering designs",
        registrar("design", Design, registry.designs, lambda d: d.id),
    )
    _call_each(
        manager,
        registry,
        "evigrade_register_assessors",
        "registering assessors",
        registrar("assessor", Assessor, registry.assessors, lambda a: a.domain),
    )
    _call_each(
        manager,
        registry,
        "evigrade_register_schemes",
        "registering schemes",
        registrar("scheme", Scheme, registry.schemes, lambda s: s.name),
    )
    _call_each(
        manager,
        registry,
        "evigrade_register_formats",
        "registering formats",
        registrar("format", OutputFormat, registry.formats, lambda f: f.name),
    )
    _call_each(
        manager,
        registry,
        "evigrade_register_importers",
        "registering importers",
        registrar("importer", Importer, registry.importers, lambda i: i.name),
    )
    _call_each(
        manager,
        registry,
        "evigrade_register_exporters",
        "registering exporters",
        registrar("exporter", Exporter, registry.exporters, lambda e: e.name),
    )
    _register_article_checker(manager, registry, registrar)
    return registry


def _register_article_checker(
    manager: pluggy.PluginManager, registry: Registry, registrar: Any
) -> None:
    """The article checker's scorers and extractors (``evigrade check``)."""
    from .article import ClaimScorer, Extractor

    _call_each(
        manager,
        registry,
        "evigrade_register_claim_scorers",
        "registering claim scorers",
        registrar("scorer", ClaimScorer, registry.scorers, lambda s: s.name),
    )
    _call_each(
        manager,
        registry,
        "evigrade_register_extractors",
        "registering extractors",
        registrar("extractor", Extractor, registry.extractors, lambda e: f"{e.kind}:{e.name}"),
    )


@functools.lru_cache(maxsize=8)
def _cached_registry(disable: frozenset[str], env: str) -> Registry:
    return build_registry(disable=disable)


def get_registry(*, disable: Iterable[str] = ()) -> Registry:
    """The registry for this process (built once per set of disabled plugins)."""
    return _cached_registry(frozenset(disable), os.environ.get(DISABLE_ENV, ""))


def reset() -> None:
    """Forget the cached registry (after installing or removing plugins in-process)."""
    _cached_registry.cache_clear()
