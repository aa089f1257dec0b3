"""`vip audit`: the audit log, newest first (§13)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table


def render(entries: Sequence[Mapping[str, Any]]) -> None:
    rows = [[e["at"], e["actor_id"], e["action"], e["customer_id"], e["detail"]] for e in entries]
    echo(table("Audit log", ["at", "who", "action", "customer", "detail"], rows))
