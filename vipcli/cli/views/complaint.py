"""`vip complaint …` and `vip report complaints` (§18): complaints and their month."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from vipcli.cli.output import Column, echo, info, styled, table
from vipcli.domain import labels
from vipcli.i18n import _, ngettext


def _day(value: Any) -> str:
    return "—" if not value else str(value)[:10]


def render_added(doc: Mapping[str, Any]) -> None:
    info(_("Complaint {id} recorded for {customer} ({severity}); owner {owner}: acknowledge by "
           "{ack}, resolve by {resolve}.").format(
        id=doc["complaint_id"], customer=doc["customer_id"],
        severity=labels.complaint_severity(doc["severity"]), owner=doc["owner_id"],
        ack=_day(doc["ack_due"]), resolve=_day(doc["resolve_due"])))


def render_acknowledged(doc: Mapping[str, Any]) -> None:
    info(_("Complaint {id} acknowledged; resolve by {resolve}.").format(
        id=doc["complaint_id"], resolve=_day(doc["resolve_due"])))


def render_resolved(doc: Mapping[str, Any]) -> None:
    info(_("Complaint {id} resolved.").format(id=doc["complaint_id"]))


def _status(row: Mapping[str, Any]) -> str:
    text = labels.complaint_status(row["status"])
    if not row["overdue"]:
        return text
    return ngettext("{status} (overdue {days} day)", "{status} (overdue {days} days)",
                    row["overdue_days"]).format(status=text, days=row["overdue_days"])


def _handling(row: Mapping[str, Any]) -> str:
    """What has been done: acknowledged / resolved, with the dates and the result."""
    if row["status"] == "resolved":
        satisfied = {True: _("satisfied"), False: _("not satisfied"), None: ""}[row["satisfied"]]
        done = _("resolved {day}").format(day=_day(row["resolved_at"]))
        return " · ".join(p for p in (done, satisfied, row["result"] or "") if p)
    if row["acknowledged_at"]:
        return _("acknowledged {day}; resolve by {due}").format(
            day=_day(row["acknowledged_at"]), due=_day(row["resolve_due"]))
    return _("acknowledge by {due}; resolve by {resolve}").format(
        due=_day(row["ack_due"]), resolve=_day(row["resolve_due"]))


def render_list(rows: Sequence[Mapping[str, Any]]) -> None:
    overdue = sum(1 for r in rows if r["overdue"])
    title = _("Complaints: {count}, overdue {overdue}").format(count=len(rows), overdue=overdue)
    if not rows:
        echo(_("No complaints."))
        return
    echo(table(title, [(_("id"), "right"), _("customer"), _("severity"), _("status"),
                       _("owner"), _("received on"), _("handling"), _("complaint")],
               [[r["complaint_id"], labels.named(r["name"], r["customer_id"]),
                 labels.complaint_severity(r["severity"]), _status(r),
                 labels.named(r["owner_name"], r["owner_id"]), _day(r["opened_at"]),
                 _handling(r), r["text"]] for r in rows]))


def _share(figures: Mapping[str, Any]) -> str:
    if figures["satisfied_share"] is None:
        return "—"
    percent = Decimal(figures["satisfied_share"]) * 100
    return f"{figures['satisfied']}/{figures['rated']} {percent:.0f}%"


def _figures(f: Mapping[str, Any]) -> list[Any]:
    return [f["opened"], f"{f['acknowledged_on_time']}/{f['opened']}",
            f"{f['resolved_on_time']}/{f['resolved']}", f"{f['open']} ({f['overdue']})",
            _share(f)]


def render_report(doc: Mapping[str, Any]) -> None:
    rows = [[_("All"), *_figures(doc["total"])]]
    rows += [[labels.complaint_severity(s), *_figures(f)] for s, f in doc["by_severity"].items()]
    rows += [[labels.named(m["name"], m["staff_id"]), *_figures(m)] for m in doc["by_manager"]]
    columns: list[Column] = [
        "", (_("received"), "right"), (_("ack in time"), "right"),
        (_("resolved"), "right"), (_("open (late)"), "right"), (_("satisfied"), "right")]
    echo(table(_("Complaints received in {month}: all, by severity, by owner").format(
        month=doc["month"]), columns, rows))
    echo(styled((_("ack in time: acknowledged by the deadline / received · resolved: by the "
                   "deadline / all resolved · open (late): not yet resolved (past a "
                   "deadline) · satisfied: satisfied / those who answered"), "dim")))
    echo(_("Open today: {open}, overdue {overdue} (whatever month they were received).").format(
        open=doc["open_now"], overdue=doc["overdue_now"]))
