"""The ``evigrade`` command line: one module per command group, loaded when its command runs.

Exit statuses are those of :class:`~evigrade.cli.common.ExitStatus`: 0 success, 1 invalid
input, 2 unreadable input (or a usage error), 3 an internal error, 4 a plugin failure under
``--strict``. Errors are one line each on stderr; set ``EVIGRADE_DEBUG=1`` to see a traceback.
Plugins add commands through ``evigrade_register_commands``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from ..plugins import DISABLE_ENV
from .common import ExitStatus, err, registry_of, write_failed

__all__ = ["cli", "main"]

#: The built-in commands: name -> (module, function), imported when the command is used.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "validate"),
    "grade": ("grade", "grade"),
    "compare": ("grade", "compare"),
    "report": ("report", "report"),
    "plot": ("report", "plot"),
    "check": ("check", "check"),
    "strength": ("check", "strength"),
    "import": ("interop", "import_"),
    "export": ("interop", "export_"),
    "schemes": ("listing", "list_schemes"),
    "designs": ("listing", "list_designs"),
    "plugins": ("listing", "list_plugins"),
}


class EvigradeGroup(click.Group):
    """The top-level group: the built-in commands, then those plugins register, each looked up
    when asked for (so ``evigrade validate`` never imports the grading commands)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *sorted(set(_plugin_commands(ctx)) - set(COMMANDS))]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name]
            command: click.Command = getattr(importlib.import_module(f".{module}", __name__), name)
            return command
        # Building the registry reports the plugins that failed to load: perhaps the command
        # is one of theirs, and the reason comes before click's "No such command".
        return _plugin_commands(ctx).get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        # click would turn a closed standard output into exit status 1: it is _ClosedPipe's.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _ClosedPipe from None


class _ClosedPipe(Exception):
    """Standard output's reader went away."""


def _plugin_commands(ctx: click.Context) -> dict[str, click.Command]:
    """The commands plugins registered, less those whose name a built-in command has (each
    reported once as a failure of its plugin)."""
    registry = registry_of(ctx)
    obj = ctx.find_root().ensure_object(dict)
    if "commands" not in obj:
        commands = {}
        for name, command in registry.commands.items():
            if name in COMMANDS:
                plugin = registry.owner("command", name)
                why = f"a built-in command is called {name!r}"
                err(str(registry.failure(plugin, "adding commands", why)))
                continue
            commands[name] = command
        obj["commands"] = commands
    found: dict[str, click.Command] = obj["commands"]
    return found


@click.group(cls=EvigradeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evigrade", prog_name="evigrade")
@click.option(
    "--no-plugins", is_flag=True, help=f"Load no third-party plugins (also: {DISABLE_ENV}=all)."
)
@click.option(
    "--disable-plugin",
    "disabled",
    multiple=True,
    metavar="NAME",
    help=f"Do not load this plugin; repeatable (also: {DISABLE_ENV}=a,b).",
)
def cli(no_plugins: bool, disabled: Sequence[str]) -> None:
    """Grade the evidence behind health claims."""


class _Signalled(BaseException):
    """SIGTERM (or SIGHUP) arrived: unwinds the run like Ctrl-C, removing temporary files."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: The signals received, so that the run ends as signalled even when the exception raised in
#: the handler comes back as another (a compiled extension may turn it into a panic).
_RECEIVED: list[int] = []


def _on_signal(signum: int, frame: Any) -> None:
    import signal

    from ..output import remove_temporaries

    _RECEIVED.append(signum)
    remove_temporaries()
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise _Signalled(signum)


def _handle_signals() -> dict[int, Any]:
    """Make SIGTERM, SIGHUP and SIGINT unwind the run, noted in _RECEIVED (in the main
    thread): the previous handlers."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None and signal.getsignal(signum) in (signal.SIG_DFL, None):
            previous[signum] = signal.signal(signum, _on_signal)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, _on_signal)
    _RECEIVED.clear()
    return previous


def _closed_pipe() -> int:
    """Standard output's reader went away (``| head``): not an error of ours. Nothing more is
    written there, and the status is the shell's for a process ended by SIGPIPE."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return ExitStatus.CLOSED_PIPE


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line and exit with its status; never shows a traceback unless
    ``EVIGRADE_DEBUG`` is set. Without ``argv`` (the ``evigrade`` program, ``python -m
    evigrade``) the process is the program's own, and loading the plugins is left out of later
    garbage collections (see :mod:`evigrade.cli.common`)."""
    import signal

    from ..output import remove_temporaries

    args = list(sys.argv[1:] if argv is None else argv)
    status: Any
    try:
        from ..validation.parse import max_input_size

        max_input_size()
    except ValueError as error:
        err(str(error))
        sys.exit(ExitStatus.UNREADABLE)
    previous = _handle_signals()
    try:
        status = cli.main(
            args=args,
            prog_name="evigrade",
            standalone_mode=False,
            obj={"program": argv is None},
        )
    except click.exceptions.Exit as done:
        status = done.exit_code
    except click.ClickException as error:
        error.show()
        status = error.exit_code
    except click.Abort:
        remove_temporaries()
        err("aborted")
        status = ExitStatus.INTERRUPTED
    except KeyboardInterrupt:
        remove_temporaries()
        err("interrupted")
        status = ExitStatus.INTERRUPTED
    except _Signalled as signalled:
        status = _terminated(signalled.signum)
    except (BrokenPipeError, _ClosedPipe):
        status = _closed_pipe()
    except OSError as error:
        if _RECEIVED:
            status = _terminated(_RECEIVED[0])
        elif error.filename is not None:  # a file that could not be read or written
            err(f"cannot use {error.filename}: {error.strerror or error}")
            status = ExitStatus.UNREADABLE
        else:
            status = _internal(error)
    except BaseException as error:
        if _RECEIVED:  # the signal's exception, changed on its way (see _RECEIVED)
            status = _terminated(_RECEIVED[0])
        elif isinstance(error, Exception):
            status = _internal(error)
        else:
            raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        status = _closed_pipe()
    except OSError as error:
        write_failed(None, error)
        status = ExitStatus.UNREADABLE
    sys.exit(int(status) if isinstance(status, int) else ExitStatus.OK)


def _terminated(signum: int) -> int:
    import signal

    from ..output import remove_temporaries

    remove_temporaries()
    if signum == signal.SIGINT:
        err("interrupted")
        return ExitStatus.INTERRUPTED
    err(f"terminated by {signal.Signals(signum).name}")
    return 128 + signum


def _internal(error: Exception) -> int:
    if os.environ.get("EVIGRADE_DEBUG"):
        import traceback

        traceback.print_exc()
    err(f"internal error: {type(error).__name__}: {error} (set EVIGRADE_DEBUG=1 for a traceback)")
    return ExitStatus.INTERNAL
