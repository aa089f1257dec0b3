"""`vip approvals`: the special admissions to decide (§3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.domain import labels
from vipcli.domain.money import money_str_display
from vipcli.i18n import _


def _by(row: Mapping[str, Any]) -> str:
    """Who asked: 高娜月 S005 (staff by name beside id, §16)."""
    return labels.named(row.get("requested_by_name"), row["requested_by"])


def render(rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:  # an empty table would not say which kind of request was looked for
        echo(_("Nothing waits for your decision."))
        return
    if rows[0]["kind"] == "role_grant":  # an operator's list (§13 maker-checker)
        render_grants(rows)
        return
    cells = [[r["id"], r["customer_id"], r["name"], r["branch_id"], labels.tier(r["tier"]),
              labels.tier(r["qualified_tier"]), money_str_display(r["adb12"]), _by(r),
              r["reason"]]
             for r in rows]
    echo(table(
        _("Special admissions to decide ({count})").format(count=len(rows)),
        [(_("id"), "right"), (_("customer"), "left"), _("name"), _("outlet"), (_("tier"), "left"),
         (_("qualified"), "left"), (_("ADB12"), "right"), _("requested by"), _("reason")],
        cells,
    ))


def render_grants(rows: Sequence[Mapping[str, Any]]) -> None:
    cells = [[r["id"], r["staff_id"], r["name"], r["branch_id"],
              labels.role(r["previous_role"]) if r["previous_role"] else _("(new)"),
              labels.role(r["role"]), _by(r), r["source"]]
             for r in rows]
    echo(table(
        _("Role grants to decide ({count})").format(count=len(rows)),
        [(_("id"), "right"), (_("staff"), "left"), _("name"), _("branch"), (_("now"), "left"),
         (_("to be"), "left"), _("requested by"), _("file")],  # a role is never cut short
        cells,
    ))
