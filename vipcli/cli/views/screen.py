"""`vip screen`: the counts per qualified tier and the month's changes (§1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, styled, table
from vipcli.domain import labels
from vipcli.i18n import _

SHOWN = 15  # ids listed per change in the table view; --json has them all


def _ids(ids: Sequence[str]) -> str:
    more = " … " + _("(+{count} more)").format(count=len(ids) - SHOWN) if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def render(report: Mapping[str, Any]) -> None:
    if report["scope"] == "all":
        scope = _("every outlet")
    else:
        scope = _("outlet {outlet}").format(outlet=report["scope"])
    first, last = report["window"]
    q = report["qualified"]
    counts = [[labels.tier(t), f"{q[t]:,}"] for t in ("diamond", "platinum", "gold")]
    counts.append([labels.tier(None), f"{q['none']:,}"])
    echo(styled((_("Screening {month}").format(month=report["month"]), "bold"),
                _(" — {scope}, window {first} … {last}").format(scope=scope, first=first, last=last)))
    echo(table(None, [_("qualified tier"), (_("customers"), "right")], counts))
    changes = [
        (_("newly qualified (potential VIPs)"), report["newly_qualified"]),
        (_("upgrade candidates"), report["upgrade_candidates"]),
        (_("downgrade warnings (first month below)"), report["downgrade_warnings"]),
        (_("downgraded"), report["downgraded"]),
    ]
    echo(table(_("Changes"), ["", (_("count"), "right")],
               [[label, f"{len(items):,}"] for label, items in changes]))
    for label, items in changes:
        _list(label, items)
    echo(_("{count:,} customers screened.").format(count=report["screened"]))
    if report.get("missing_months"):
        echo(styled((_("counted as zero (no asset rows): {months}").format(
            months=", ".join(report["missing_months"])), "yellow")))


def _list(label: str, items: Sequence[Any]) -> None:
    """The customers of one change: ids on wrapped lines, or a card holder's move as a row
    (customer, from, to) so that no tier name is split across lines (§16: 80 columns)."""
    if not items:
        return
    if isinstance(items[0], str):
        echo(styled((label, "bold"), _(": {ids}").format(ids=_ids(items))))
        return
    rows = [[c["customer_id"], labels.tier(c["from"]), labels.tier(c["to"])] for c in items[:SHOWN]]
    title = label if len(items) <= SHOWN else _("{title} (first {shown} of {count:,})").format(
        title=label, shown=SHOWN, count=len(items))
    echo(table(title, [(_("customer"), "left"), (_("tier before"), "left"), (_("tier after"), "left")], rows))
