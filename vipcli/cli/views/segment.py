"""`vip segment`: the cross-tab counts and the first customers of the segment (§4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vipcli.cli.output import Column, echo, table
from vipcli.domain import labels
from vipcli.i18n import N_, _

SHOWN = 50  # customers listed in the table view; --json has them all
NONE = "none"

# The heading of each cross-tab field and the label of its values (§16).
HEADINGS = {
    "tier": N_("Signed tier"),
    "qualified_tier": N_("Qualified tier"),
    "occupation": N_("Occupation"),
    "orientation": N_("Orientation"),
    "gender": N_("Gender"),
    "status": N_("Status"),
}
VALUES: dict[str, Callable[[str | None], str]] = {
    "tier": labels.tier,
    "qualified_tier": labels.tier,
    "occupation": labels.occupation,
    "orientation": labels.orientation,
    "gender": labels.gender,
    "status": labels.status,
}


def _value(field: str, value: str) -> str:
    label = VALUES.get(field)
    if label is None:
        return value
    return label(None if value == NONE else value)


def render(doc: Mapping[str, Any]) -> None:
    by = doc["by"]
    columns: list[Column] = [*(_(HEADINGS[f]) if f in HEADINGS else f for f in by),
                             (_("Customers"), "right")]
    echo(table(_("Segments ({count} customers)").format(count=doc["total"]), columns,
               [[*(_value(f, c[f]) for f in by), c["count"]] for c in doc["counts"]]))
    shown = doc["customers"][:SHOWN]
    title = (_("Customers (first {count})").format(count=len(shown)) if len(shown) < doc["total"]
             else _("Customers"))
    echo(table(title, [_("Customer no."), _("Name"), _("Signed tier"), _("Qualified tier"),
                       _("Occupation"), _("Orientation"), _("Phone")],
               [[c["customer_id"], c["name"], labels.tier(c["signed_tier"]) if c["signed_tier"] else "—",
                 labels.tier(c["qualified_tier"]) if c["qualified_tier"] else "—",
                 labels.occupation(c["occupation"]), labels.orientation(c["orientation"]),
                 c["phone"] or "—"] for c in shown]))
