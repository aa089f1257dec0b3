"""`vip appointment add|list|cancel`: appointments as people read them (§18), 80 columns (§16)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, info, table
from vipcli.domain import labels
from vipcli.i18n import N_, _

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def when(doc: Mapping[str, Any]) -> str:
    """"2026-12-02 Wed 14:30"."""
    at = doc["at"]
    return f"{at.date().isoformat()} {_(WEEKDAYS[at.weekday()])} {at.strftime('%H:%M')}"


def people(doc: Mapping[str, Any]) -> str:
    return _(", ").join(labels.named(p["name"], p["staff_id"]) for p in doc["staff"])


def render_saved(doc: Mapping[str, Any]) -> None:
    info(_("Appointment {id} made: {customer}, {when}; taking part: {staff}.").format(
        id=doc["appointment_id"], customer=labels.named(doc["customer_name"], doc["customer_id"]),
        when=when(doc), staff=people(doc)))


def render_cancelled(doc: Mapping[str, Any]) -> None:
    info(_("Appointment {id} cancelled: {customer}, {when}.").format(
        id=doc["appointment_id"], customer=labels.named(doc["customer_name"], doc["customer_id"]),
        when=when(doc)))


def rows(docs: Sequence[Mapping[str, Any]], *, with_date: bool = True) -> list[list[Any]]:
    return [[d["appointment_id"], when(d) if with_date else d["at"].strftime("%H:%M"),
             f"{d['customer_name']} {d['customer_id']}", d["place"] or "", people(d),
             d["purpose"] or ""] for d in docs]


def columns(*, with_date: bool = True) -> list[Any]:
    return [("#", "right"), _("When") if with_date else _("Time"), _("Customer"), _("Place"),
            _("Taking part"), _("Purpose")]


def render_list(week: str, docs: Sequence[Mapping[str, Any]]) -> None:
    if not docs:
        echo(_("No appointments in week {week}.").format(week=week))
        return
    echo(table(_("Appointments in week {week}").format(week=week), columns(), rows(docs)))
