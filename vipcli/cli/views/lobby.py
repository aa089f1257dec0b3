"""`vip lobby`: the lobby script — how to greet, whom to call, where to take them (§9).

No phone, ID or balance. The customer is addressed in Chinese in every language
(address_as); everything else follows the language of the screen (§16).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, styled
from vipcli.domain import labels
from vipcli.i18n import N_, _

# §9: the name of each tier's service standard.
STANDARD = {
    "diamond": N_("Service standard (the five ones):"),
    "platinum": N_("Service standard (the five ones):"),
    "gold": N_("Service standard (the two ones):"),
}
OTHERS = N_("Service standard:")


def render(doc: Mapping[str, Any]) -> None:
    tier = doc["tier"]
    head = _("{customer} · {tier} · priority {priority}").format(
        customer=doc["customer_id"], tier=labels.tier(tier), priority=doc["priority"])
    echo(styled((doc["address_as"], "bold"), "  ", head))
    if not doc["own_outlet"]:
        echo(_("A customer of another outlet: also hand over this outlet's introduction."))
    echo(_("Greet: “{address_as}, welcome!”").format(address_as=doc["address_as"]))
    route = doc["route_to"]
    echo(_("Hand to: nobody available — serve at the counter") if route is None else
         _("Hand to: {staff} ({role})").format(staff=labels.named(route["name"], route["staff_id"]),
                                               role=labels.role(route["role"])))
    echo(_("Take to: {place}").format(place=doc["place"]))
    echo(_(STANDARD.get(tier or "", OTHERS)))
    for item in doc["service"]:
        echo(f"  • {item}")
