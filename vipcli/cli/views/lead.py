"""`vip lead add|list`: a lead recorded, the outlet's leads (§18); phones masked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, info, table
from vipcli.domain import labels
from vipcli.domain.money import money_str_display
from vipcli.i18n import _


def render_added(doc: Mapping[str, Any]) -> None:
    info(_("Lead {lead} recorded: {name} {phone} ({source}).").format(
        lead=doc["lead_id"], name=doc["name"], phone=doc["phone"] or "—",
        source=labels.lead_source(doc["source"])))
    if doc["customer_id"]:
        info(_("This phone is already customer {customer} ({name}) of the outlet: the lead "
               "is linked to that customer, whose own manager looks after them.").format(
            customer=doc["customer_id"], name=doc.get("customer_name") or "—"))
    else:
        info(_("The branch head's next `vip assign` gives it an account manager."))


def render_list(docs: Sequence[Mapping[str, Any]]) -> None:
    if not docs:
        echo(_("No leads."))
        return
    echo(table(_("Leads ({count})").format(count=len(docs)),
               [_("Lead"), _("Name"), _("Phone"), _("Source"), (_("Est. assets (CNY)"), "right"),
                _("Recorded"), _("Manager"), _("Customer no."), _("Note")],
               [_row(d) for d in docs]))


def _row(d: Mapping[str, Any]) -> list[str]:
    recorded = f"{d['created_at']:%Y-%m-%d} " + labels.named(d.get("recorded_by_name"),
                                                              d["recorded_by"])
    manager = labels.named(d.get("manager_name"), d["manager_id"]) if d["manager_id"] else ""
    return [d["lead_id"], d["name"], d["phone"] or "—", labels.lead_source(d["source"]),
            money_str_display(d["est_assets"]) if d["est_assets"] else "", recorded, manager,
            d["customer_id"] or "", d["note"] or ""]
