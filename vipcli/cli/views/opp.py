"""`vip opp …`: an opportunity with its stage history, the progress tables, conversion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import Column, echo, info, table
from vipcli.domain.money import money_str_display as money


def render_opportunity(doc: Mapping[str, Any]) -> None:
    info(f"opportunity {doc['id']}: {doc['customer_id']} {doc['customer_name']} — {doc['stage']}"
         f" (owner {doc['owner_id']})")
    rows = [[h["at"], h["from"] or "", h["to"], h["by"] or "", h["note"] or ""]
            for h in doc.get("history", [])]
    echo(table("Stage history", ["at", "from", "to", "by", "note"], rows))


def render_list(rows: Sequence[Mapping[str, Any]], *, outlet: bool) -> None:
    title = "支行貴賓客戶商機表 — outlet opportunities" if outlet else "客戶經理商機進程表 — opportunities"
    cols: list[Column] = ["id", "customer", "name", "owner", "product", "stage", ("expected", "right"),
                          ("won", "right"), "next action", "next date", "idea"]
    echo(table(title, cols, [
        [r["id"], r["customer_id"], r["customer_name"], r["owner_id"], r["product_name"] or "",
         r["stage"], money(r["expected_amount"]), money(r["won_amount"]), r["next_action"],
         r["next_date"], r["idea_kind"]] for r in rows]))


def render_conversion(kinds: Sequence[Mapping[str, Any]]) -> None:
    """Conversion by idea kind (`vip opp list --by-kind`, the end of `vip report weekly`)."""
    rows = [[c["kind"], c["opened"], c["won"], c["lost"], c["open"], money(c["won_amount"]),
             f"{c['conversion']:.0%}"] for c in kinds]
    echo(table("Conversion by idea kind", ["kind", ("opened", "right"), ("won", "right"),
                                           ("lost", "right"), ("open", "right"),
                                           ("won amount", "right"), ("conversion", "right")], rows))
