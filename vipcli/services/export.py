"""`vip export` (§12, §13): opportunities, the weekly review, the morning list, customers.

At the top of the services, like the demo: it composes lists from several capabilities
(sales, contact, core).

Exports are always masked (no --reveal: a file leaves the system and outlives the
session); every export is audited, one row per exported customer (a weekly review names
no customer: one row). CSV is UTF-8 with a byte-order mark so Excel opens the Chinese
names correctly; xlsx via openpyxl; JSON is the same document the command prints with
--json.

Headers follow the language (§16): Chinese by default; under English (VIP_LANG=en) they
are the JSON keys (customer_id, adb12 …), the stable names scripts read. Cells hold the
data as stored (codes such as `platinum` included), masked.

The file cannot destroy anything (§12, `core.files`): never over an existing file without
--force, never over the database; written to a temporary file and renamed into place,
0600. A spreadsheet cell is never a formula (§12): control characters are removed and
text that begins with =, +, -, @, a tab or a carriage return is neutralised — a leading
' in CSV, a cell typed as a string (shown as text even when edited) in xlsx.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, cast

from vipcli.db.engine import sqlite_path
from vipcli.domain import labels
from vipcli.errors import InvalidInput
from vipcli.i18n import N_, _, language
from vipcli.services.core import files
from vipcli.services.core.audit import audit, audit_many
from vipcli.services.core.cells import _csv_cell, _default, _xlsx_cell

if TYPE_CHECKING:
    from vipcli.services.contact.due import DueList
    from vipcli.services.core.context import Context
    from vipcli.services.core.customers import CustomerRow
    from vipcli.services.sales.opportunities import OpportunityRow
    from vipcli.services.sales.weekly import TargetCheck, WeeklyReview

    # The --json document of each kind: the command's own document.
    Exported = list[OpportunityRow] | WeeklyReview | DueList | list[CustomerRow]

KINDS = ("opportunities", "weekly", "due", "customers")
FORMATS = ("csv", "xlsx", "json")

# A flat row of a csv or xlsx file: column → cell.
Row = Mapping[str, object]

# The heading of each column in Chinese (§16); English keeps the key itself (see above).
HEADERS = {
    "id": N_("No."),
    "customer_id": N_("Customer no."),
    "name": N_("Name"),
    "customer_name": N_("Customer name"),
    "signed_tier": N_("Signed tier"),
    "qualified_tier": N_("Qualified tier"),
    "tier": N_("Tier"),
    "adb12": N_("ADB12 (CNY)"),
    "manager_id": N_("Account manager"),
    "advisor_id": N_("Wealth advisor"),
    "occupation": N_("Occupation"),
    "orientation": N_("Orientation"),
    "phone": N_("Phone"),
    "owner_id": N_("Owner"),
    "owner_name": N_("Owner name"),
    "product_code": N_("Product code"),
    "product_name": N_("Product name"),
    "stage": N_("Stage"),
    "expected_amount": N_("Expected amount (CNY)"),
    "won_amount": N_("Amount won (CNY)"),
    "next_action": N_("Next step"),
    "next_date": N_("Next step date"),
    "idea_kind": N_("Idea kind"),
    "lost_reason": N_("Reason lost"),
    "opened_at": N_("Opened at"),
    "closed_at": N_("Closed at"),
    "disclosed_at": N_("Risk disclosed at"),
    "sale_product_rating": N_("Product risk rating at sale"),
    "sale_risk_level": N_("Customer risk level at sale"),
    "priority": N_("Priority"),
    "reasons": N_("Reasons"),
    "suggested_channel": N_("Suggested channel"),
    "suggested_content": N_("Suggested content"),
    "idea": N_("Top idea"),
    "week": N_("Week"),
    "staff_id": N_("Staff no."),
    "role": N_("Role"),
    "contact_rule": N_("Customers contacted (weekly rule)"),
    "contact_rule_met": N_("Weekly rule met"),
    "opened": N_("Opportunities opened"),
    "advanced": N_("Opportunities advanced"),
    "won": N_("Opportunities won"),
    "lost": N_("Opportunities lost"),
    "contacts": N_("Contacts"),
    "signings": N_("New signings"),
    "overdue_opportunities": N_("Overdue opportunities"),
    "overdue_reports": N_("Overdue reports"),
    "opened_amount": N_("Amount opened (CNY)"),
    "lost_amount": N_("Amount lost (CNY)"),
    "overdue_followups": N_("Overdue follow-ups"),
}
TARGET_PREFIX = "target_"


def header(key: str) -> str:
    """A column's heading: the key in English (stable for scripts), else its translation."""
    if language() == "en":
        return key
    if key.startswith(TARGET_PREFIX):
        from vipcli.services.sales.targets import METRIC_LABELS

        metric = key[len(TARGET_PREFIX):]
        name = _(METRIC_LABELS[metric]) if metric in METRIC_LABELS else metric
        return _("Target: {metric}").format(metric=name)
    return _(HEADERS[key]) if key in HEADERS else key


class ExportFilters(TypedDict, total=False):
    """The options of `vip export`; each applies to the kinds its help names."""

    staff_id: str | None
    stage: str | None
    open_only: bool
    outlet: bool
    week: str | None
    as_of: dt.date | None
    limit: int | None
    tier: str | None


class ExportResult(TypedDict):
    """What `vip export` wrote: the file, its rows and the customers it names (audited)."""

    kind: str
    format: str
    file: str
    rows: int
    customers: int


def collect(ctx: Context, kind: str,
            filters: ExportFilters) -> tuple[Exported, Sequence[Row], list[str]]:
    """(the --json document, flat rows for csv/xlsx, the customers it names)."""
    if kind == "opportunities":
        from vipcli.services.sales.opportunities import list_opportunities

        opportunities = list_opportunities(
            ctx, staff_id=filters.get("staff_id"), stage=filters.get("stage"),
            open_only=bool(filters.get("open_only")), outlet=bool(filters.get("outlet")))
        return opportunities, opportunities, [r["customer_id"] for r in opportunities]
    if kind == "weekly":
        from vipcli.services.sales.weekly import weekly_report

        review = weekly_report(ctx, week=filters.get("week"))
        return review, weekly_rows(review), []
    if kind == "due":
        from vipcli.services.contact.due import due_list

        due = due_list(ctx, staff_id=filters.get("staff_id"), as_of=filters.get("as_of"),
                       limit=filters.get("limit"))
        return due, due_rows(due), [i["customer_id"] for i in due["items"]]
    if kind == "customers":
        from vipcli.services.core.customers import list_customers

        customers = list_customers(ctx, tier=filters.get("tier"), staff_id=filters.get("staff_id"),
                                   reveal=False)
        return customers, customers, [r["customer_id"] for r in customers]
    raise InvalidInput(_("unknown export {kind!r}; expected one of {kinds}").format(
        kind=kind, kinds=", ".join(KINDS)))


def weekly_rows(doc: WeeklyReview) -> list[Row]:
    """One row per manager and one for the outlet; targets as target_<metric> columns."""
    rows = [_week_row(doc["week"], manager, manager["targets"]) for manager in doc["managers"]]
    outlet = doc["outlet"]
    if outlet:
        person = {"staff_id": outlet["branch_id"], "name": _("outlet total"), **outlet}
        rows.append(_week_row(doc["week"], person, outlet["targets"]))
    return rows


def _week_row(week: str, person: Mapping[str, object], targets: dict[str, TargetCheck]) -> Row:
    row: dict[str, object] = {"week": week}
    row.update({k: v for k, v in person.items() if k not in ("targets", "branch_id")})
    for metric, t in targets.items():
        row[f"{TARGET_PREFIX}{metric}"] = t["target"]
    return row


def due_rows(doc: DueList) -> list[Row]:
    """One row per customer; its reasons joined into one cell."""
    rows: list[Row] = []
    for item in doc["items"]:
        reasons = _("; ").join(
            _("{reason} (due {date})").format(reason=r.get("detail") or labels.reason(r["kind"]),
                                              date=r.get("due_date") or "—")
            for r in item.get("reasons", [])
        )
        idea = item.get("idea")
        rows.append({"customer_id": item["customer_id"], "name": item.get("name"),
                     "tier": item.get("tier"), "priority": item.get("priority"),
                     "reasons": reasons, "suggested_channel": item.get("suggested_channel"),
                     "suggested_content": item.get("suggested_content"),
                     "idea": idea["reason"] if idea else None})
    return rows


def _columns(rows: Sequence[Row]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def weekly_chart(book: Any, doc: WeeklyReview) -> None:
    """§7 the weekly review as a picture: a sheet with each manager's customers contacted
    and opportunities won beside their targets, and a native clustered bar chart of each
    (actual against target). A manager without its own contacts target is measured
    against the weekly contact rule (§5); the outlet's row is left out (another scale)."""
    from openpyxl.chart import BarChart, Reference

    from vipcli.services.sales.targets import METRIC_LABELS

    managers = doc["managers"]
    if not managers:
        return
    sheet = book.create_sheet(_("Chart")[:31])
    contacts, won = _(METRIC_LABELS["contacts"]), _(METRIC_LABELS["opps_won"])
    sheet.append([_xlsx_cell(sheet, h) for h in (
        _("Staff member"), contacts, _("Target: {metric}").format(metric=contacts),
        won, _("Target: {metric}").format(metric=won))])
    for m in managers:
        targets = m["targets"]
        sheet.append([_xlsx_cell(sheet, labels.named(m["name"], m["staff_id"])), m["contacts"],
                      targets["contacts"]["target"] if "contacts" in targets else m["contact_rule"],
                      m["won"], targets["opps_won"]["target"] if "opps_won" in targets else None])
    last = len(managers) + 1
    for column, title, anchor in ((2, _("Customers contacted against target"), "G2"),
                                  (4, _("Opportunities won against target"), "G22")):
        chart = BarChart()
        chart.type, chart.grouping, chart.title = "col", "clustered", title
        chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes by default
        chart.add_data(Reference(sheet, min_col=column, max_col=column + 1, min_row=1,
                                 max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
        chart.width, chart.height = 20, 9
        sheet.add_chart(chart, anchor)


def render(fmt: str, doc: Exported, rows: Sequence[Row], kind: str | None = None) -> bytes:
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2, default=_default).encode() + b"\n"
    columns = _columns(rows)
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow([_csv_cell(header(c)) for c in columns])
        writer.writerows([[_csv_cell(r.get(c)) for c in columns] for r in rows])
        return text.getvalue().encode("utf-8-sig")  # BOM: Excel reads UTF-8
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("export")
    sheet.append([_xlsx_cell(sheet, header(c)) for c in columns])
    for r in rows:
        sheet.append([_xlsx_cell(sheet, r.get(c)) for c in columns])
    if kind == "weekly":
        weekly_chart(book, cast("WeeklyReview", doc))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(ctx: Context, kind: str, fmt: str, output: str, *, force: bool = False,
           **filters: Unpack[ExportFilters]) -> ExportResult:
    if kind not in KINDS:
        raise InvalidInput(_("unknown export {kind!r}; expected one of {kinds}").format(
            kind=kind, kinds=", ".join(KINDS)))
    if fmt not in FORMATS:
        raise InvalidInput(_("unknown format {format!r}; expected one of {formats}").format(
            format=fmt, formats=", ".join(FORMATS)))
    database = files.database_files(sqlite_path(str(ctx.engine.url)))
    path = files.check_target(output, force=force, protected=database).absolute()
    actor = ctx.actor()
    doc, rows, customer_ids = collect(ctx, kind, filters)
    content = render(fmt, doc, rows, kind)
    unique = list(dict.fromkeys(customer_ids))
    detail = {"kind": kind, "format": fmt, "file": str(path), "rows": len(rows)}
    try:
        files.make_folders(path.parent)
        with files.temporary_beside(path, "export") as temporary:
            files.write_bytes(temporary, content)
            _audit_and_place(ctx, actor.staff_id, unique, detail, temporary, path, force)
    except OSError as exc:
        raise InvalidInput(_("cannot write {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from None
    return {"kind": kind, "format": fmt, "file": str(path), "rows": len(rows),
            "customers": len(unique)}


def _audit_and_place(ctx: Context, actor_id: str, customer_ids: list[str],
                     detail: dict[str, object], temporary: Path, path: Path, force: bool) -> None:
    """The audit rows and the file: both or neither (the file is removed if the audit
    rows fail to commit after it was put in place)."""
    placed = False
    try:
        with ctx.begin() as conn:
            if customer_ids:
                audit_many(conn, actor_id, "export", customer_ids, **detail)
            else:
                audit(conn, actor_id, "export", None, **detail)
            files.place(temporary, path, force=force)
            placed = True
    except BaseException:
        if placed:
            path.unlink(missing_ok=True)
        raise
