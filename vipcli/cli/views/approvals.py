"""`vip approvals`: the special admissions to decide (§3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.domain.money import money_str_display


def render(rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:  # an empty table would not say which kind of request was looked for
        echo("Nothing waits for your decision.")
        return
    if rows[0]["kind"] == "role_grant":  # an operator's list (§13 maker-checker)
        render_grants(rows)
        return
    cells = [[r["id"], r["customer_id"], r["name"], r["branch_id"], r["tier"],
              r["qualified_tier"] or "—", money_str_display(r["adb12"]), r["requested_by"],
              r["reason"]]
             for r in rows]
    echo(table(
        f"Special admissions to decide ({len(rows)})",
        [("id", "right"), "customer", "name", "outlet", "tier", "qualified",
         ("ADB12", "right"), "by", "reason"],
        cells,
    ))


def render_grants(rows: Sequence[Mapping[str, Any]]) -> None:
    cells = [[r["id"], r["staff_id"], r["name"], r["branch_id"], r["previous_role"] or "(new)",
              r["role"], r["requested_by"], r["source"]]
             for r in rows]
    echo(table(
        f"Role grants to decide ({len(rows)})",
        [("id", "right"), ("staff", "left"), "name", "branch", ("now", "left"), ("to be", "left"),
         "by", "file"],  # a role is never cut short
        cells,
    ))
