"""`vip config show`: every effective rule and where its value came from (§14)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vipcli.cli.output import echo, table

if TYPE_CHECKING:
    from vipcli.config import LoadedRules


def render(loaded: LoadedRules) -> None:
    title = f"Rules — {loaded.path}" if loaded.path else "Rules — handbook defaults"
    echo(table(title, ["rule", ("value", "right"), "source"], [list(r) for r in loaded.effective()]))
