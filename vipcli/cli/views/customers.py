"""`vip customers`: the list, one row per customer (ids, money and phones never cut, §16)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import Column, echo, table
from vipcli.domain import labels
from vipcli.domain.money import money_str_display
from vipcli.i18n import _


def _tier(code: str | None) -> str:
    return labels.tier(code) if code else "—"


def render(found: Sequence[Mapping[str, Any]]) -> None:
    show_advisor = any(c["advisor_id"] for c in found)
    rows = [
        [c["customer_id"], c["name"], _tier(c["signed_tier"]), _tier(c["qualified_tier"]),
         money_str_display(c["adb12"]), labels.named(c.get("manager_name"), c["manager_id"]),
         *([labels.named(c.get("advisor_name"), c["advisor_id"])] if show_advisor else []),
         c["phone"] or ""]
        for c in found
    ]
    columns: list[Column] = [
        _("Customer no."), _("Name"), _("Signed tier"), _("Qualified tier"),
        (_("ADB12 (CNY)"), "right"), _("Account manager"),
        *([_("Wealth advisor")] if show_advisor else []), _("Phone")]
    echo(table(_("Customers — {count} shown").format(count=len(found)), columns, rows))
