"""`vip journal week`: the week's summary for the supervisor (§11)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.domain import labels
from vipcli.domain.money import money_str_display as money
from vipcli.i18n import _


def render_week(doc: Mapping[str, Any]) -> None:
    rule = doc["weekly_rule"]
    echo(_("Week {week} ({start} – {end}) · {staff}").format(
        week=doc["week"], start=doc["from"], end=doc["to"],
        staff=labels.named(doc["name"], doc["staff_id"])))
    visits, contacts, sales = doc["visits"], doc["contacts"], doc["sales"]
    echo(_("visits {total} (meetings {meetings}, lobby {lobby})").format(
        total=visits["total"], meetings=visits["meetings"], lobby=visits["lobby"]))
    met = (_("contacts {total} with {customers} customers (weekly rule {target}: met)") if rule["met"]
           else _("contacts {total} with {customers} customers (weekly rule {target}: NOT met)"))
    echo(met.format(total=contacts["total"], customers=contacts["customers"], target=rule["target"]))
    echo(_("sales: {won} won, {amount} CNY").format(won=sales["won"], amount=money(sales["amount"])))
    if contacts["by_channel"]:
        echo(_("by channel: {channels}").format(channels=", ".join(
            f"{labels.channel(k)} {v}" for k, v in contacts["by_channel"].items())))
    if sales["items"]:
        echo(table(_("Sales"), [(_("Opportunity"), "right"), _("Customer no."), _("Product"),
                                (_("Amount (CNY)"), "right")],
                   [[s["opportunity_id"], s["customer_id"],
                     labels.named(s.get("product_name"), s["product_code"]),
                     money(s["amount"])] for s in sales["items"]]))
    if not doc["entries"]:
        echo(_("no journal entries this week"))
        return
    echo(table(_("Journal"), [_("Date"), _("Kind"), _("Text")],
               [[e["date"], labels.journal_kind(e["kind"]), e["text"]] for e in doc["entries"]]))
