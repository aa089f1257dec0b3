"""`vip due`: the morning list as today's plan (§5), readable at 80 columns (§16).

A header (who, the day, this week's progress against the 10-a-week rule, the outlet's
alerts, a missing extract, holidays), then one entry per customer — who (name, id, tier,
masked phone), why (one sentence per reason), how (a channel), what to say (the talking
point of its orientation and the top idea) — then one line for the customers still waiting.
A wide terminal gets a table; when the table's fixed columns and readable reason and
content columns do not fit, each customer is a block: a line saying who, then why, how
and what beneath it, indented. Nothing is ever cut: long text wraps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vipcli.cli.output import clean, console, echo, styled
from vipcli.domain import labels
from vipcli.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from rich.table import Table

PRIORITY = {"retention": N_("Retention alert"), "overdue": N_("Due now"), "upcoming": N_("Coming up")}
PRIORITY_STYLE = {"retention": "bold red", "overdue": "bold", "upcoming": "dim"}
# The narrowest the wrapping columns of the table may be before blocks read better.
MIN_WHY, MIN_WHAT = 34, 22


def render(doc: Mapping[str, Any]) -> None:
    for line in header(doc):
        echo(line)
    items = doc["items"]
    if not items:
        echo(_("Nobody to contact today."))
        return
    entries = [_entry(n, item) for n, item in enumerate(items, start=1)]
    echo(styled((_title(doc), "bold")))
    width = console().width
    if _table_fits(entries, width):
        echo(_table(entries, width))
    else:
        for entry in entries:
            for part in _block(entry):
                echo(part)
    more = doc["total"] - doc["shown"]
    if more > 0:
        echo(ngettext("{more} more customer waiting: `vip due --all` shows all, "
                      "`--limit N` the first N.",
                      "{more} more customers waiting: `vip due --all` shows all, "
                      "`--limit N` the first N.", more).format(more=more))


def header(doc: Mapping[str, Any]) -> list[str]:
    """The lines above the list, in plain words (§5: this week against the weekly rule)."""
    if doc["staff_id"] is None:
        outlet = labels.named(doc.get("branch_name"), doc.get("branch_id"))
        lines = [_("Today's plan for the outlet {outlet}, {date}").format(outlet=outlet,
                                                                          date=doc["as_of"])]
    else:
        person = labels.named(doc.get("staff_name"), doc["staff_id"])
        lines = [_("Today's plan for {person}, {date}").format(person=person, date=doc["as_of"])]
    lines.append(_week(doc["week"]))
    if "outlet" in doc:
        lines.append(_("Outlet: retention alerts {alerts}, reports to review {reports}").format(
            alerts=doc["outlet"]["retention_alerts"], reports=doc["outlet"]["unreviewed_reports"]))
        lost = doc["outlet"].get("lost_recently")
        if lost:  # §18: the branch head sees each loss
            lines.append(ngettext(
                "{count} customer marked lost in the last {days} days: `vip report retention` lists them",
                "{count} customers marked lost in the last {days} days: `vip report retention` "
                "lists them", lost).format(count=lost, days=doc["outlet"]["lost_days"]))
    if doc.get("missing_extract"):
        lines.append(_("The {month} asset extract is missing: no asset-drop or downgrade alerts "
                       "from it until it is imported").format(month=doc["missing_extract"]))
    for h in doc["holidays"]:
        lines.append(ngettext("{holiday} on {date}: greet {customers} customer",
                              "{holiday} on {date}: greet {customers} customers",
                              h["customers"]).format(holiday=h["holiday"], date=h["date"],
                                                     customers=h["customers"]))
    return lines


def _week(week: Mapping[str, Any]) -> str:
    contacted, target = week["contacted"], week["target"]
    if target is None:
        return ngettext("This week: {contacted} customer contacted",
                        "This week: {contacted} customers contacted", contacted).format(
            contacted=contacted)
    if contacted >= target:
        return ngettext("This week: {contacted} customer contacted, the target of {target} reached",
                        "This week: {contacted} customers contacted, the target of {target} reached",
                        contacted).format(contacted=contacted, target=target)
    return ngettext("This week: {contacted} of {target} customers contacted, {left} to go",
                    "This week: {contacted} of {target} customers contacted, {left} to go",
                    target).format(contacted=contacted, target=target, left=target - contacted)


def _title(doc: Mapping[str, Any]) -> str:
    if doc["shown"] < doc["total"]:
        return _("The {shown} most urgent of {total} customers").format(
            shown=doc["shown"], total=doc["total"])
    return ngettext("{total} customer to contact, most urgent first",
                    "{total} customers to contact, most urgent first", doc["total"]).format(
        total=doc["total"])


def _entry(n: int, item: Mapping[str, Any]) -> dict[str, Any]:
    """One customer's texts: who, why, how, what — all cleaned of control characters."""
    tier = labels.tier(item["tier"])
    as_tier = None
    if item.get("cadence_tier") and item["cadence_tier"] != item["tier"]:
        as_tier = _("looked after as {tier}").format(tier=labels.tier(item["cadence_tier"]))
    # §5: a holiday is one header line; on a row it is said only when it is the only reason.
    why = [r["detail"] for r in item["reasons"] if r["kind"] != "holiday"] or [
        r["detail"] for r in item["reasons"]]
    what = [item["suggested_content"]]
    idea = item.get("idea")
    if idea:
        product = (labels.named(idea.get("name"), idea["product_code"]) if idea.get("product_code")
                   else idea.get("name") or labels.idea_kind(idea.get("kind")))
        what.append(_("Suggest {product}").format(product=product))
    return {
        "n": str(n), "name": clean(item["name"]), "id": item["customer_id"], "tier": tier,
        "as_tier": as_tier, "phone": item.get("phone") or "—",
        "priority": item["priority"], "why": [clean(w) for w in why],
        "how": labels.channel(item["suggested_channel"]), "what": [clean(w) for w in what],
    }


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def _fixed(entries: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """The table's columns that never wrap, with their cells."""
    return [
        ("#", [e["n"] for e in entries]),
        (_("Customer"), [f"{e['name']}\n{e['id']}" for e in entries]),
        (_("Tier"), [e["tier"] + (f"\n{e['as_tier']}" if e["as_tier"] else "") for e in entries]),
        (_("Phone"), [e["phone"] for e in entries]),
        (_("Priority"), [_(PRIORITY[e["priority"]]) for e in entries]),
        (_("How"), [e["how"] for e in entries]),
    ]


def _table_fits(entries: list[dict[str, Any]], width: int) -> bool:
    """The fixed columns at their widest cell, the reason and content columns at a readable
    minimum, and the borders (3 cells a column and 1) within the terminal."""
    fixed = sum(max(_cells(head), *(_cells(c) for c in cells)) for head, cells in _fixed(entries))
    columns = len(_fixed(entries)) + 2
    return fixed + MIN_WHY + MIN_WHAT + 3 * columns + 1 <= width


def _table(entries: list[dict[str, Any]], width: int) -> Table:
    """The wide layout: the fixed columns at their widest cell, the reason and content
    columns sharing the rest 3 : 2, their text broken beforehand by `output.wrapped` (so
    Rich never has to squeeze or crop a column: an id or a product code stays whole)."""
    from rich.table import Table
    from rich.text import Text

    from vipcli.cli.output import wrapped

    tbl = Table(header_style="bold")
    fixed = _fixed(entries)
    widths = [max(_cells(c) for c in [head, *cells]) for head, cells in fixed]
    room = width - sum(widths) - 3 * (len(fixed) + 2) - 1
    why_width = max(MIN_WHY, room * 3 // 5)
    what_width = max(MIN_WHAT, room - why_width)
    for (head, _column), w in zip(fixed, widths, strict=True):
        tbl.add_column(head, no_wrap=True, width=w)
    tbl.add_column(_("Why"), no_wrap=True, width=why_width)
    tbl.add_column(_("What to say"), no_wrap=True, width=what_width)

    def lines(texts: list[str], w: int) -> Text:
        return Text("\n").join(line for text in texts for line in wrapped(text, w))

    for i, entry in enumerate(entries):
        style = PRIORITY_STYLE[entry["priority"]]
        row = [Text(cells[i]) for _head, cells in fixed]
        row[4].stylize(style)
        tbl.add_row(*row, lines(entry["why"], why_width), lines(entry["what"], what_width))
    return tbl


def _block(entry: dict[str, Any]) -> list[Any]:
    """One customer as lines: who on the first, then why / how / what, indented."""
    from rich.table import Table
    from rich.text import Text

    who: list[str | tuple[str, str]] = [
        (f"{entry['n']:>2}. ", "bold"), (f"{entry['name']} {entry['id']}", "bold"),
        f"  {entry['tier']}"]
    if entry["as_tier"]:
        who.append(_("({note})").format(note=entry["as_tier"]))
    who += [f"  {entry['phone']}  ", (_(PRIORITY[entry["priority"]]), PRIORITY_STYLE[entry["priority"]])]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=3)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("", Text(_("Why"), style="dim"), Text("\n".join(entry["why"])))
    grid.add_row("", Text(_("How"), style="dim"), Text(entry["how"]))
    grid.add_row("", Text(_("Say"), style="dim"), Text("\n".join(entry["what"])))
    return [styled(*who), grid]
