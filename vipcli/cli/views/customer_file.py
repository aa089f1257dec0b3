"""`vip customer edit|lost|reactivate` on a terminal (§18), and the file on `vip show`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, info, table
from vipcli.domain import labels
from vipcli.i18n import _

CODED = {"orientation": labels.orientation, "preferred_channel": labels.channel}


def _value(name: str, value: Any) -> str:
    if value is None or value == "" or value == {}:
        return "—"
    if name in CODED:
        return CODED[name](value)
    if isinstance(value, Mapping):
        return "\n".join(f"{label} {day}" for label, day in value.items())
    return str(value)


def render_edit(doc: Mapping[str, Any]) -> None:
    changed = doc["changed"]
    if not changed:
        info(_("Nothing to change: the file of {customer} already says so.").format(
            customer=doc["customer_id"]))
        return
    echo(table(_("File of {customer}: changed").format(customer=doc["customer_id"]),
               [_("field"), _("before"), _("after")],
               [[labels.customer_field(name), _value(name, c["old"]), _value(name, c["new"])]
                for name, c in changed.items()]))


def render_status(doc: Mapping[str, Any]) -> None:
    if doc["status"] == "lost":
        info(_("{customer} recorded as lost on {day} ({reason}); it leaves the lists").format(
            customer=doc["customer_id"], day=doc["lost_on"], reason=doc["reason"]))
    else:
        info(_("{customer} reactivated: status {status}").format(
            customer=doc["customer_id"], status=labels.status(doc["status"])))


def render_file(doc: Mapping[str, Any]) -> None:
    """`vip show`: interests, the special period while it lasts, anniversaries, notes, a loss."""
    if doc.get("lost_on"):
        echo(_("LOST on {day}: {reason}").format(day=doc["lost_on"], reason=doc.get("lost_reason") or "—"))
    if doc.get("interests"):
        echo(_("interests: {text}").format(text=doc["interests"]))
    special = doc.get("special_period")
    if special:
        echo(_("special period until {day}: {text}").format(day=special["until"], text=special["text"]))
    if doc.get("anniversaries"):
        echo(_("anniversaries: {list}").format(list=" · ".join(
            f"{a['label']} {a['date']}" for a in doc["anniversaries"])))
    if doc.get("notes"):
        echo(_("notes: {text}").format(text=doc["notes"]))
