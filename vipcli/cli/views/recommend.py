"""`vip recommend`: the ranked ideas, those held back, the opportunity opened (§8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, info, table
from vipcli.domain import labels
from vipcli.i18n import _


def render(doc: Mapping[str, Any]) -> None:
    customer = labels.named(doc["name"], doc["customer_id"])
    if doc["risk_level"]:
        risk = _("risk level {level}, valid until {until}").format(
            level=labels.risk_level(doc["risk_level"]), until=doc["risk_valid_until"])
    else:
        risk = _("no valid risk assessment")
    rows = [[i["rank"], labels.idea_kind(i["kind"]), labels.named(i["name"], i["product_code"]),
             i["reason"]] for i in doc["ideas"]]
    echo(table(_("Ideas for {customer} ({risk})").format(customer=customer, risk=risk),
               [("#", "right"), _("Kind"), _("Product"), _("Why")], rows))
    if doc["blocked"]:
        rows = [[labels.named(b["name"], b["product_code"]), labels.idea_kind(b["kind"]), b["reason"]]
                for b in doc["blocked"]]
        echo(table(_("Held back (suitability)"), [_("Product"), _("Kind"), _("Reason")], rows))
    if "accepted" in doc:
        a = doc["accepted"]
        text = (_("opened opportunity {id} ({kind}, {product}), owner {owner}") if a["product_code"]
                else _("opened opportunity {id} ({kind}), owner {owner}"))
        names = {i["product_code"]: i["name"] for i in doc["ideas"]}
        info(text.format(id=a["opportunity_id"], kind=labels.idea_kind(a["kind"]),
                         product=labels.named(names.get(a["product_code"]), a["product_code"]),
                         owner=a["owner_id"]))
