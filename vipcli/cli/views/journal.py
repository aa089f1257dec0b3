"""`vip journal week`: the week's summary for the supervisor (§11)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.domain.money import money_str_display as money


def render_week(doc: Mapping[str, Any]) -> None:
    rule = doc["weekly_rule"]
    echo(f"Week {doc['week']} ({doc['from']} – {doc['to']}) · {doc['staff_id']} {doc['name']}")
    visits, contacts, sales = doc["visits"], doc["contacts"], doc["sales"]
    echo(f"visits {visits['total']} (meetings {visits['meetings']}, lobby {visits['lobby']})")
    echo(f"contacts {contacts['total']} with {contacts['customers']} customers "
         f"(weekly rule {rule['target']}: {'met' if rule['met'] else 'NOT met'})")
    echo(f"sales {sales['won']} won, {money(sales['amount'])}")
    if contacts["by_channel"]:
        echo("by channel: " + ", ".join(f"{k} {v}" for k, v in contacts["by_channel"].items()))
    if sales["items"]:
        echo(table("Sales", [("opportunity", "right"), "customer", "product", ("amount", "right")],
                   [[s["opportunity_id"], s["customer_id"], s["product_code"] or "—",
                     money(s["amount"])] for s in sales["items"]]))
    if not doc["entries"]:
        echo("no journal entries this week")
        return
    echo(table("Journal", ["date", "kind", "text"],
               [[e["date"], e["kind"], e["text"]] for e in doc["entries"]]))
