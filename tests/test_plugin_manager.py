"""The plugin manager finds a module's hook implementations exactly as pluggy's does, only
without asking :func:`inspect.getattr_static` about every name."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

import pluggy
import pytest

from evigrade import hookspecs, plugins

SOURCE = """
import functools
from evigrade.plugin import Design, hookimpl

CONSTANT = 3
imported = functools


@hookimpl
def evigrade_register_designs(register):
    pass


@hookimpl(specname="evigrade_register_schemes")
def another_name(register):
    pass


def helper():
    pass


helper.evigrade_impl = "not a dict"


class Holder:
    evigrade_impl = {}

    @hookimpl
    def evigrade_register_formats(self, register):
        pass


staticmethod_hook = staticmethod(hookimpl(lambda register: None))
bound = Holder().evigrade_register_formats
marked_lambda = hookimpl(lambda register: None)
__doc__ = "a module"
"""


def _same(plugin: object) -> None:
    ours = plugins._Manager("evigrade")
    theirs = pluggy.PluginManager("evigrade")
    for name in dir(plugin):
        assert ours.parse_hookimpl_opts(plugin, name) == theirs.parse_hookimpl_opts(plugin, name), (
            name
        )


@pytest.mark.parametrize("module_name", plugins.DEFAULT_PLUGINS)
def test_every_built_in_plugin_is_read_as_pluggy_reads_it(module_name: str) -> None:
    _same(importlib.import_module(module_name))


def test_every_kind_of_name_is_read_as_pluggy_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "many_names_plugin.py").write_text(SOURCE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        module = importlib.import_module("many_names_plugin")
        _same(module)
        found = {
            name
            for name in dir(module)
            if plugins._Manager("evigrade").parse_hookimpl_opts(module, name) is not None
        }
        assert found == {
            "evigrade_register_designs",
            "another_name",
            "staticmethod_hook",
            "bound",
            "marked_lambda",
        }
        _same(module.Holder)
        _same(module.Holder())
        odd = type("OddModule", (types.ModuleType,), {})("odd")  # a module of its own class
        odd.evigrade_register_designs = module.evigrade_register_designs  # type: ignore[attr-defined]
        _same(odd)
        manager = plugins._Manager("evigrade")
        manager.add_hookspecs(hookspecs)
        manager.register(module, name="many")
        hooks = sorted(caller.name for caller in manager.get_hookcallers(module) or [])
        # (a marked function under a name no hook has is pluggy's business: evigrade's own
        # check of hook names reports it when the plugin is loaded)
        assert hooks == [
            "bound",
            "evigrade_register_designs",
            "evigrade_register_schemes",
            "marked_lambda",
            "staticmethod_hook",
        ]
    finally:
        sys.modules.pop("many_names_plugin", None)
