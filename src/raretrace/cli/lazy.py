"""Commands registered by name and imported when run, so that `raretrace --help` and
each command pay only for the modules they use.

The root group lists every command from the registry (its name and one-line help,
written next to it in ``raretrace.cli``) without importing the command's module; running
or documenting a command imports ``module:attribute``, a Typer function or a
``typer.Typer`` sub-app, and converts it with Typer's own ``get_command``/``get_group``.
A test checks that each registered help line is the first paragraph of the loaded
command's help. (Click classes are taken from Typer, which may vendor its own click.)
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["Entry", "LazyGroup", "load"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One top-level command: ``target`` is ``"module:attribute"``."""

    name: str
    target: str
    help: str


def load(entry: Entry) -> Any:
    """Import the command's module and build its click command (a group for a sub-app)."""
    module, _, attr = entry.target.partition(":")
    obj: Any = getattr(importlib.import_module(module), attr)
    if isinstance(obj, typer.Typer):
        cmd: Any = typer.main.get_group(obj)
    else:
        single = typer.Typer(add_completion=False)
        single.command(entry.name)(obj)
        cmd = typer.main.get_command(single)
    cmd.name = entry.name
    return cmd


class LazyGroup(TyperGroup):
    """The root group: commands from ``entries``, each imported on first use."""

    entries: ClassVar[dict[str, Entry]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:  # noqa: ARG002
        return [*self.commands, *(n for n in self.entries if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:  # noqa: ARG002
        cmd = self.commands.get(cmd_name)
        if cmd is not None:
            return cmd
        entry = self.entries.get(cmd_name)
        if entry is None:
            return None
        if self._listing:  # the root help: name and help line, nothing imported
            return TyperCommand(entry.name, help=entry.help)
        cmd = load(entry)
        self.commands[cmd_name] = cmd
        return cmd

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        known = name in self.commands or name in self.entries
        if name and not known and not name.startswith("-") and not ctx.resilient_parsing:
            matches = get_close_matches(name, self.list_commands(ctx))
            if matches:
                hint = ", ".join(f"{m!r}" for m in matches)
                ctx.fail(f"No such command {name!r}. Did you mean {hint}?")
        return super().resolve_command(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
