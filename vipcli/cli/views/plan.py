"""`vip plan week`: the week's visit plan per day (§18), readable at 80 columns (§16).

A title, then each day: its date and weekday, its appointments (a table that turns into
blocks on a narrow terminal) and the customers falling due that day, one line each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, styled, table
from vipcli.cli.views import appointment
from vipcli.domain import labels
from vipcli.i18n import _, ngettext


def render(doc: Mapping[str, Any], limit: int | None = None) -> None:
    """`limit`: the customers shown per day (§5: a terminal shows a plan, not the backlog)."""
    days = doc["days"]
    first, last = days[0]["date"], days[-1]["date"]
    if doc["staff_id"] is None:
        whose = _("the outlet {outlet}").format(outlet=doc["branch_id"])
    else:
        whose = labels.named(doc.get("staff_name"), doc["staff_id"])
    echo(styled((_("Week {week} ({start} – {end}), plan for {whose}").format(
        week=doc["week"], start=first, end=last, whose=whose), "bold")))
    for day in days:
        echo("")
        _day(day, doc["today"], limit)


def _day(day: Mapping[str, Any], today: Any, limit: int | None) -> None:
    date = day["date"]
    head = f"{date.isoformat()} {_(appointment.WEEKDAYS[date.weekday()])}"
    if date == today:
        head = _("{day} (today)").format(day=head)
    echo(styled((head, "bold")))
    if not day["appointments"] and not day["customers"]:
        echo(_("  Nothing planned."))
        return
    if day["appointments"]:
        echo(table(None, appointment.columns(with_date=False),
                   appointment.rows(day["appointments"], with_date=False)))
    if day["customers"]:
        count = len(day["customers"])
        echo(ngettext("{count} customer falling due:", "{count} customers falling due:",
                      count).format(count=count))
        shown = day["customers"][:limit] if limit else day["customers"]
        echo(table(None, [_("Customer"), _("Tier"), _("Why")],
                   [[labels.named(c["name"], c["customer_id"]), labels.tier(c["tier"]),
                     _(", ").join(labels.reason(k) for k in c["kinds"])] for c in shown]))
        if count > len(shown):
            echo(ngettext("{more} more customer: `vip plan week --all` shows all.",
                          "{more} more customers: `vip plan week --all` shows all.",
                          count - len(shown)).format(more=count - len(shown)))
