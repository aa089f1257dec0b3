"""`vip segment`: the cross-tab counts and the first customers of the segment (§4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import Column, echo, table

SHOWN = 50  # customers listed in the table view; --json has them all


def render(doc: Mapping[str, Any]) -> None:
    columns: list[Column] = [*doc["by"], ("count", "right")]
    echo(table(f"Segments ({doc['total']} customers)", columns,
               [[*(c[f] for f in doc["by"]), c["count"]] for c in doc["counts"]]))
    shown = doc["customers"][:SHOWN]
    echo(table("Customers" + (f" (first {len(shown)})" if len(shown) < doc["total"] else ""),
               ["customer", "name", "signed", "qualified", "occupation", "orientation", "phone"],
               [[c["customer_id"], c["name"], c["signed_tier"] or "—", c["qualified_tier"] or "—",
                 c["occupation"], c["orientation"] or "—", c["phone"] or "—"] for c in shown]))
