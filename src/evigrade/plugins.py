"""The plugin manager: the built-in plugins and the ``evigrade`` entry-point group, one registry.

The built-ins are ordinary plugin modules (:data:`DEFAULT_PLUGINS`, in ``evigrade/builtin/``),
registered with pluggy exactly like third-party ones, whose entry points are read as
:func:`importlib.metadata.entry_points` reads them (:mod:`evigrade.entrypoints`). Each
``register_*`` hook is called through pluggy one plugin at a time, so that a plugin that raises
is reported by name (a :class:`PluginFailure`), what it registered before it failed is taken
back, and the other plugins still load.

Third-party plugins can be switched off with ``--no-plugins`` / ``--disable-plugin NAME`` on the
command line or ``EVIGRADE_DISABLE_PLUGINS`` (``all``, or names separated by commas) in the
environment.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import os
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .entrypoints import EntryPoint, entry_points
from .kinds import (
    Assessor,
    ClaimScorer,
    Design,
    Exporter,
    Extractor,
    Importer,
    OutputFormat,
    PluginInfo,
    Registry,
    Scheme,
)
from .version import __version__

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "PluginExit",
    "build_registry",
    "disabled_from_env",
    "get_registry",
    "guard",
    "guarded_items",
    "plugin_code",
    "reset",
]

ENTRY_POINT_GROUP = "evigrade"
DISABLE_ENV = "EVIGRADE_DISABLE_PLUGINS"

#: The built-in plugins, registered through the same hooks as third-party ones, in this order.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "evigrade.builtin.designs",
    "evigrade.builtin.assessors",
    "evigrade.builtin.schemes.grade",
    "evigrade.builtin.schemes.cebm",
    "evigrade.builtin.schemes.pyramid",
    "evigrade.builtin.formats",
    "evigrade.builtin.interop.pubmed",
    "evigrade.builtin.interop.ctgov",
    "evigrade.builtin.interop.fhir",
    "evigrade.builtin.article",
)


_BUILTINS = frozenset(DEFAULT_PLUGINS)
#: The guard of a built-in's code: nothing (one instance; a null context can be entered again).
_NOTHING: contextlib.AbstractContextManager[None] = contextlib.nullcontext()


def disabled_from_env() -> frozenset[str]:
    """Plugin names switched off by ``EVIGRADE_DISABLE_PLUGINS`` (``{"*"}`` for all)."""
    value = os.environ.get(DISABLE_ENV, "").strip()
    if not value:
        return frozenset()
    if value.lower() in ("all", "*", "1", "true", "yes"):
        return frozenset({"*"})
    return frozenset(part.strip() for part in value.split(",") if part.strip())


class PluginExit(RuntimeError):
    """Plugin code called :func:`sys.exit` (or raised :class:`SystemExit`): a plugin failure
    like any other error, never the end of the program."""


class _PluginOutput(io.TextIOBase):
    """Standard output while a plugin's code runs: each line goes to standard error, naming
    the plugin, so that the program's own output (JSON, JSON Lines) stays whole."""

    def __init__(self, plugin: str) -> None:
        super().__init__()
        self.plugin = plugin
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + str(text)).split("\n")
        for line in lines:
            self._show(line)
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self._show(self.pending)
            self.pending = ""

    def _show(self, line: str) -> None:
        stream = sys.__stderr__ if sys.stderr is None else sys.stderr
        if stream is not None:
            stream.write(f"evigrade: plugin {self.plugin!r} wrote to standard output: {line}\n")


@contextlib.contextmanager
def plugin_code(plugin: str) -> Iterator[None]:
    """Run a plugin's code: what it prints goes to standard error with its name, and
    ``sys.exit`` becomes :class:`PluginExit`, an error reported like any other."""
    previous = sys.stdout
    stream = _PluginOutput(plugin)
    sys.stdout = stream
    try:
        yield
    except SystemExit as error:
        raise PluginExit(f"called sys.exit({error.code!r})") from None
    finally:
        stream.flush()
        if sys.stdout is stream:
            sys.stdout = previous


def guard(registry: Registry, kind: str, name: str) -> contextlib.AbstractContextManager[None]:
    """Where a stage runs what a plugin registered (``kind`` and ``name``, as in
    :meth:`Registry.owner`): :func:`plugin_code` for a third-party plugin's, nothing for a
    built-in's."""
    owner = registry.owner(kind, name)
    if owner in _BUILTINS:
        return _NOTHING
    return plugin_code(owner)


def guarded_items(registry: Registry, kind: str, name: str, items: Iterable[Any]) -> Iterator[Any]:
    """The items of a plugin's iterable (an importer's records), each made under
    :func:`guard`."""
    iterator = iter(items)
    while True:
        with guard(registry, kind, name):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


_ABSENT = object()
#: What pluggy may take for a hook implementation besides a plain function.
_METHODS = (staticmethod, classmethod, types.MethodType)
#: The names the module type itself defines, which a module's own may not simply shadow.
_MODULE_TYPE_NAMES = frozenset(name for klass in types.ModuleType.__mro__ for name in vars(klass))


class _Manager(pluggy.PluginManager):
    """pluggy's plugin manager, looking through a module's names faster.

    pluggy looks at every name of a plugin with :func:`inspect.getattr_static`, which for the
    hundreds of names of the plugin modules took half of building the registry. In a plain
    module, a name the module type does not define is what the module's ``__dict__`` holds:
    a plain function is a hook implementation when it carries :data:`~evigrade.hookspecs.hookimpl`'s
    marker, and a class, a constant or an imported module never is. Those are answered here;
    anything else (methods, a module of a class of its own, a plugin that is not a module) is
    left to pluggy."""

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        if type(plugin) is types.ModuleType and name not in _MODULE_TYPE_NAMES:
            value = vars(plugin).get(name, _ABSENT)
            if type(value) is types.FunctionType:
                options = getattr(value, f"{self.project_name}_impl", None)
                return options if isinstance(options, dict) else None
            if value is not _ABSENT and not isinstance(value, _METHODS):
                return None
        return super().parse_hookimpl_opts(plugin, name)


def _load_plugins(
    registry: Registry, disabled: frozenset[str], extra: Iterable[object]
) -> pluggy.PluginManager:
    """A plugin manager with the built-ins, every enabled entry-point plugin and the ``extra``
    plugin objects registered, each listed in ``registry.plugins``."""
    manager = _Manager(ENTRY_POINT_GROUP)
    manager.add_hookspecs(hookspecs)
    version = __version__
    for module_name in DEFAULT_PLUGINS:
        try:
            module = importlib.import_module(module_name)
            manager.register(module, name=module_name)
        except Exception as error:  # a broken installation: say so, keep the rest working
            registry.plugins.append(PluginInfo(module_name, "evigrade", version, True, "failed"))
            registry.fail(module_name, "loading", error)
            continue
        registry.plugins.append(
            PluginInfo(module_name, "evigrade", version, True, "loaded", _hooks(manager, module))
        )
    # nothing third-party: the distributions need not even be scanned
    found = [] if "*" in disabled else entry_points(ENTRY_POINT_GROUP)
    for entry_point in sorted(found, key=lambda e: e.name):
        _load_entry_point(manager, registry, entry_point, disabled)
    for plugin in extra:
        _register_object(manager, registry, plugin)
    return manager


def _register_object(manager: pluggy.PluginManager, registry: Registry, plugin: object) -> None:
    """Register a plugin object made in this process (a module, or any object with hooks)."""
    name = str(getattr(plugin, "__name__", None) or f"{type(plugin).__name__}-{id(plugin):x}")
    try:
        _check_hook_names(plugin)
        manager.register(plugin, name=name)
    except Exception as error:
        registry.plugins.append(PluginInfo(name, None, None, False, "failed"))
        registry.fail(name, "loading", error)
        return
    registry.plugins.append(PluginInfo(name, None, None, False, "loaded", _hooks(manager, plugin)))


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
        with plugin_code(name):
            plugin = entry_point.load()
        _check_hook_names(plugin)
        manager.register(plugin, name=name)
    except Exception as error:
        registry.plugins.append(PluginInfo(name, dist_name, dist_version, False, "failed"))
        registry.fail(name, "loading", error)
        return
    registry.plugins.append(
        PluginInfo(name, dist_name, dist_version, False, "loaded", _hooks(manager, plugin))
    )


def _check_hook_names(plugin: object) -> None:
    """A function named like a hook that no hook specification has is a misspelling, never
    silently ignored (pluggy checks only the functions marked as hooks)."""
    known = [name for name in dir(hookspecs) if name.startswith("evigrade_")]
    unknown = sorted(
        attribute
        for attribute in dir(plugin)
        if attribute.startswith("evigrade_") and attribute not in known
    )
    if unknown:
        raise ValueError(f"unknown hook {unknown[0]!r}; the hooks are {', '.join(known)}")


def _hooks(manager: pluggy.PluginManager, plugin: object) -> tuple[str, ...]:
    callers = manager.get_hookcallers(plugin) or []
    return tuple(sorted(caller.name for caller in callers))


#: What one plugin registered during one hook call: (table, key) pairs, to take back.
_Added = list[tuple[dict[str, Any], str]]


def _call_each(
    manager: pluggy.PluginManager,
    registry: Registry,
    hook_name: str,
    stage: str,
    make_register: Callable[[str, _Added], Callable[[Any], None]],
) -> None:
    """Call one register hook through pluggy, plugin by plugin, so that a failure stays with
    its plugin; what a failing plugin registered before it failed is taken back."""
    impls = getattr(manager.hook, hook_name).get_hookimpls()
    plugins = {impl.plugin_name: impl.plugin for impl in impls}
    for plugin_name in plugins:
        others = [p for name, p in plugins.items() if name != plugin_name]
        caller = manager.subset_hook_caller(hook_name, remove_plugins=others)
        added: _Added = []
        try:
            with plugin_code(plugin_name):
                caller(register=make_register(plugin_name, added))
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


def _registrar(
    registry: Registry,
    kind: str,
    cls: type,
    table: dict[str, Any],
    key: Callable[[Any], str],
    *,
    many: bool = False,
) -> Callable[[str, _Added], Callable[[Any], None]]:
    """The ``register`` callback a plugin's hook receives, for one kind of thing: it checks
    the type, refuses a name already taken, and records the owner."""

    def make(plugin_name: str, added: _Added) -> Callable[[Any], None]:
        def register(item: Any) -> None:
            if not isinstance(item, cls):
                raise TypeError(f"registered {type(item).__name__}, expected a {cls.__name__}")
            name = key(item)
            if many:  # several assessors may judge one domain
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


def _command_type() -> type:
    import click

    return click.Command


def build_registry(*, disable: Iterable[str] = (), plugins: Iterable[object] = ()) -> Registry:
    """Load the plugins and collect what they register, now (not cached). Failures are kept,
    not raised. ``plugins`` are plugin objects made in this process (modules, or objects with
    hook functions), registered after the installed ones."""
    registry = Registry()
    manager = _load_plugins(registry, frozenset(disable) | disabled_from_env(), plugins)
    registry.manager = manager
    tables: tuple[tuple[str, Callable[[str, _Added], Callable[[Any], None]]], ...] = (
        ("designs", _registrar(registry, "design", Design, registry.designs, _id)),
        (
            "assessors",
            _registrar(registry, "assessor", Assessor, registry.assessors, _domain, many=True),
        ),
        ("schemes", _registrar(registry, "scheme", Scheme, registry.schemes, _name)),
        ("formats", _registrar(registry, "format", OutputFormat, registry.formats, _name)),
        ("importers", _registrar(registry, "importer", Importer, registry.importers, _name)),
        ("exporters", _registrar(registry, "exporter", Exporter, registry.exporters, _name)),
        (
            "claim_scorers",
            _registrar(registry, "scorer", ClaimScorer, registry.scorers, _name),
        ),
        (
            "extractors",
            _registrar(registry, "extractor", Extractor, registry.extractors, _kind_name),
        ),
    )
    for kind, make_register in tables:
        hook = f"evigrade_register_{kind}"
        stage = f"registering {kind.replace('_', ' ')}"
        _call_each(manager, registry, hook, stage, make_register)
    if manager.hook.evigrade_register_commands.get_hookimpls():
        make_register = _registrar(registry, "command", _command_type(), registry.commands, _name)
        _call_each(
            manager, registry, "evigrade_register_commands", "adding commands", make_register
        )
    return registry


def _id(item: Any) -> str:
    return str(item.id)


def _domain(item: Any) -> str:
    return str(item.domain)


def _name(item: Any) -> str:
    return str(item.name)


def _kind_name(item: Any) -> str:
    return f"{item.kind}:{item.name}"


@functools.lru_cache(maxsize=8)
def _cached_registry(disable: frozenset[str], env: str) -> Registry:
    return build_registry(disable=disable)


def get_registry(*, disable: Iterable[str] = ()) -> Registry:
    """The registry for this process (built once per set of disabled plugins)."""
    return _cached_registry(frozenset(disable), os.environ.get(DISABLE_ENV, ""))


def reset() -> None:
    """Forget the cached registry (after installing or removing plugins in-process)."""
    _cached_registry.cache_clear()
