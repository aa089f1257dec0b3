"""`vip lobby`: how to greet and where to take a walk-in (§9); no phone, ID or balance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, tier_label


def render(doc: Mapping[str, Any]) -> None:
    route = doc["route_to"]
    echo(f"{doc['address_as']}  ({doc['customer_id']})  {tier_label(doc['tier'])}  "
         f"priority {doc['priority']}"
         + ("" if doc["own_outlet"] else "  — customer of another outlet"))
    echo("hand to: " + ("nobody available — serve at the counter" if route is None
                        else f"{route['staff_id']} {route['name']} ({route['role']})"))
    echo(f"place: {doc['place']}")
    echo("service:")
    for item in doc["service"]:
        echo(f"  • {item}")
