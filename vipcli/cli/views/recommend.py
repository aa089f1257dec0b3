"""`vip recommend`: the ranked ideas, those held back, the opportunity opened (§8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, info, table


def render(doc: Mapping[str, Any]) -> None:
    risk = (f"risk level {doc['risk_level_label']}, valid until {doc['risk_valid_until']}"
            if doc["risk_level"] else "no valid risk assessment")
    rows = [[i["rank"], i["kind"], i["product_code"] or "—", i["name"] or "", i["reason"]]
            for i in doc["ideas"]]
    echo(table(f"Ideas for {doc['customer_id']} {doc['name']} ({risk})",
               ["#", "kind", "product", "name", "reason"], rows))
    if doc["blocked"]:
        rows = [[b["product_code"], b["name"], b["kind"], b["reason"]] for b in doc["blocked"]]
        echo(table("Held back (suitability)", ["product", "name", "kind", "reason"], rows))
    if "accepted" in doc:
        a = doc["accepted"]
        info(f"opened opportunity {a['opportunity_id']} ({a['kind']}"
             f"{', ' + a['product_code'] if a['product_code'] else ''}) owned by {a['owner_id']}")
