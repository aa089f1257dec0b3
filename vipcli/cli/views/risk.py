"""`vip risk record|invalidate|show`: the valid level and the assessment history (§3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, table


def render(doc: Mapping[str, Any]) -> None:
    if doc["risk_level"]:
        head = (f"{doc['customer_id']}: level {doc['risk_level']} {doc['risk_level_label']} "
                f"({doc['risk_level_name']}), valid until {doc['valid_until']}")
    else:
        head = f"{doc['customer_id']}: no valid risk assessment ({doc['status']})"
    rows = [[h["assessed_on"], f"{h['level']} {h['level_label']}", h["valid_until"],
             h["recorded_by"], (f"invalidated: {h['invalidated_reason']}" if h["invalidated_at"] else "")]
            for h in doc["history"]]
    echo(table(head, ["assessed", "level", "valid until", "by", "note"], rows))
