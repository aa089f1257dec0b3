"""`vip risk record|invalidate|show`: the valid level and the assessment history (§3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.domain import labels
from vipcli.i18n import _


def render(doc: Mapping[str, Any]) -> None:
    if doc["risk_level"]:
        head = _("{customer}: risk level {level}, valid until {date}").format(
            customer=doc["customer_id"], level=labels.risk_level(doc["risk_level"]),
            date=doc["valid_until"])
    else:
        head = _("{customer}: no valid risk assessment ({status})").format(
            customer=doc["customer_id"], status=_status(doc["status"]))
    if not doc["history"]:  # an empty table would say nothing more than the line
        echo(head)
        return
    rows = [[h["assessed_on"], labels.risk_level(h["level"]), h["valid_until"],
             labels.named(h.get("recorded_by_name"), h["recorded_by"]),
             (_("invalidated: {reason}").format(reason=h["invalidated_reason"])
              if h["invalidated_at"] else "")]
            for h in doc["history"]]
    echo(table(head, [(_("assessed"), "left"), (_("level"), "left"), (_("valid until"), "left"),
                      _("recorded by"), _("note")], rows))


def _status(code: str) -> str:
    if code == "missing":
        return _("never assessed")
    if code == "invalidated":
        return _("invalidated")
    if code == "expired":
        return _("expired")
    return code
