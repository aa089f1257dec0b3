"""`vip target set|list`: the targets table (§7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table


def render(rows: Sequence[Mapping[str, Any]]) -> None:
    echo(table("Targets", ["period", "staff", "metric", ("value", "right"), "set by"], [
        [r["period"], r["staff_id"] or "(outlet)", r["metric"], r["value"], r["set_by"]] for r in rows]))
