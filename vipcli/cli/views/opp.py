"""`vip opp …`: an opportunity with its stage history, the progress tables, conversion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import Column, echo, info, table
from vipcli.domain import labels
from vipcli.domain.money import money_str_display as money
from vipcli.i18n import _

OPENED_NOTE = "opened"  # the note open_opportunity writes on the first history row


def _stage(code: str | None) -> str:
    return labels.stage(code) if code else ""


def render_opportunity(doc: Mapping[str, Any]) -> None:
    info(_("opportunity {id}: {customer} — {stage} (owner {owner})").format(
        id=doc["id"], customer=labels.named(doc["customer_name"], doc["customer_id"]),
        stage=labels.stage(doc["stage"]), owner=labels.named(doc["owner_name"], doc["owner_id"])))
    if doc["stage"] == "won":
        info(_sale(doc))
    rows = [[h["at"][:16].replace("T", " "), _stage(h["from"]), _stage(h["to"]), h["by"] or "",
             _("opened") if h["note"] == OPENED_NOTE and h["from"] is None else h["note"] or ""]
            for h in doc.get("history", [])]
    echo(table(_("Stage history"), [_("Time"), _("From"), _("To"), _("By"), _("Note")], rows))


def _sale(doc: Mapping[str, Any]) -> str:
    """§18: what the sale keeps — the product's rating, the customer's level that day and
    when the risk was disclosed."""
    rating = f"PR{doc['sale_product_rating']}" if doc.get("sale_product_rating") else "—"
    level = labels.risk_level(doc.get("sale_risk_level"))
    if doc.get("disclosed_at"):
        return _("sale: product rated {rating}, customer's risk level {level}; risk disclosed "
                 "at {at}").format(rating=rating, level=level,
                                   at=doc["disclosed_at"][:16].replace("T", " "))
    return _("sale: product rated {rating}, customer's risk level {level}; no risk disclosure "
             "recorded").format(rating=rating, level=level)


def _stage_cell(row: Mapping[str, Any]) -> str:
    if row.get("disclosed_at"):
        return _("{stage} (disclosed)").format(stage=labels.stage(row["stage"]))
    return labels.stage(row["stage"])


def render_list(rows: Sequence[Mapping[str, Any]], *, outlet: bool) -> None:
    """The progress table; the owner only on the outlet's table (one's own list is one's
    own), the won amount only when something was won with an amount, the next step as
    "date action" — so the table fits 120 columns (§16) and blocks below that."""
    title = _("Outlet VIP opportunities") if outlet else _("Opportunity progress")
    if not rows:
        echo(_("{title}: no opportunities.").format(title=title))
        return
    won = any(r["won_amount"] for r in rows)
    won_col: list[Column] = [(_("Won (CNY)"), "right")] if won else []
    cols: list[Column] = [(_("No."), "right"), _("Customer"), *([_("Owner")] if outlet else []),
                          _("Product"), _("Stage"), (_("Expected (CNY)"), "right"),
                          *won_col, _("Next step"), _("Idea kind")]
    echo(table(title, cols, [
        [r["id"], labels.named(r["customer_name"], r["customer_id"]),
         *([labels.named(r["owner_name"], r["owner_id"])] if outlet else []),
         labels.named(r["product_name"], r["product_code"]) if r["product_code"] else "",
         _stage_cell(r), money(r["expected_amount"]),
         *([money(r["won_amount"])] if won else []),
         " ".join(part for part in (r["next_date"], r["next_action"]) if part),
         labels.idea_kind(r["idea_kind"]) if r["idea_kind"] else ""]
        for r in rows]))


def render_conversion(kinds: Sequence[Mapping[str, Any]]) -> None:
    """Conversion by idea kind (`vip opp list --by-kind`, the end of `vip report weekly`)."""
    rows = [[labels.idea_kind(c["kind"]) if c["kind"] != "none" else _("No idea"), c["opened"],
             c["won"], c["lost"], c["open"], money(c["won_amount"]), f"{c['conversion']:.0%}"]
            for c in kinds]
    echo(table(_("Conversion by idea kind"),
               [_("Kind"), (_("Opened"), "right"), (labels.stage("won"), "right"),
                (labels.stage("lost"), "right"),
                (_("Open"), "right"), (_("Won (CNY)"), "right"), (_("Conversion"), "right")], rows))
