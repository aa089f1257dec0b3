"""`vip target set|list`: the targets table (§7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.domain import labels
from vipcli.domain.money import money_str_display as money
from vipcli.i18n import _


def render(rows: Sequence[Mapping[str, Any]]) -> None:
    from vipcli.services.sales.targets import METRIC_LABELS, MONEY_METRICS

    if not rows:
        echo(_("No targets set: the branch head sets them with `vip target set`."))
        return

    echo(table(_("Targets"), [_("Period"), _("Staff"), _("Metric"), (_("Target"), "right"),
                              _("Set by")], [
        [r["period"],
         labels.named(r.get("staff_name"), r["staff_id"]) if r["staff_id"] else _("(outlet)"),
         _(METRIC_LABELS[r["metric"]]) if r["metric"] in METRIC_LABELS else r["metric"],
         money(r["value"]) if r["metric"] in MONEY_METRICS else r["value"], labels.named(r.get("set_by_name"), r["set_by"])] for r in rows]))
