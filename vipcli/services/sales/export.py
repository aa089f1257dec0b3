"""`vip export` (§12, §13): opportunities, the weekly review, the morning list, customers.

Exports are always masked (no --reveal: a file leaves the system and outlives the
session); the file is created readable by its owner only (0600); every export is
audited, one row per exported customer (a weekly review names no customer: one row).
CSV is UTF-8 with a byte-order mark so Excel opens the Chinese names correctly; xlsx
via openpyxl; JSON is the same document the command prints with --json.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from decimal import Decimal
from pathlib import Path

from vipcli.errors import InvalidInput
from vipcli.services.core.audit import audit, audit_many

KINDS = ("opportunities", "weekly", "due", "customers")
FORMATS = ("csv", "xlsx", "json")


def _default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def collect(ctx, kind: str, filters: dict) -> tuple[object, list[dict], list[str]]:
    """(the --json document, flat rows for csv/xlsx, the customers it names)."""
    if kind == "opportunities":
        from vipcli.services.sales.opportunities import list_opportunities

        doc = list_opportunities(ctx, staff_id=filters.get("staff_id"), stage=filters.get("stage"),
                                 open_only=bool(filters.get("open_only")),
                                 outlet=bool(filters.get("outlet")))
        return doc, doc, [r["customer_id"] for r in doc]
    if kind == "weekly":
        from vipcli.services.sales.weekly import weekly_report

        doc = weekly_report(ctx, week=filters.get("week"))
        return doc, weekly_rows(doc), []
    if kind == "due":
        from vipcli.services.contact.due import due_list

        doc = due_list(ctx, staff_id=filters.get("staff_id"), as_of=filters.get("as_of"),
                       limit=filters.get("limit"))
        return doc, due_rows(doc), [i["customer_id"] for i in doc["items"]]
    if kind == "customers":
        from vipcli.services.core.customers import list_customers

        doc = list_customers(ctx, tier=filters.get("tier"), staff_id=filters.get("staff_id"),
                             reveal=False)
        return doc, doc, [r["customer_id"] for r in doc]
    raise InvalidInput(f"unknown export {kind!r}; expected one of {', '.join(KINDS)}")


def weekly_rows(doc: dict) -> list[dict]:
    """One row per manager and one for the outlet; targets as target_<metric> columns."""
    rows = []
    people = list(doc["managers"])
    if doc.get("outlet"):
        people.append({"staff_id": doc["outlet"]["branch_id"], "name": "outlet total",
                       **doc["outlet"]})
    for person in people:
        row = {"week": doc["week"]}
        row.update({k: v for k, v in person.items() if k not in ("targets", "branch_id")})
        for metric, t in person.get("targets", {}).items():
            row[f"target_{metric}"] = t["target"]
        rows.append(row)
    return rows


def due_rows(doc: dict) -> list[dict]:
    """One row per customer; its reasons joined into one cell."""
    rows = []
    for item in doc["items"]:
        reasons = "; ".join(
            f"{r.get('detail') or r['kind']} (due {r.get('due_date')})"
            for r in item.get("reasons", [])
        )
        idea = item.get("idea") or {}
        rows.append({"customer_id": item["customer_id"], "name": item.get("name"),
                     "tier": item.get("tier"), "priority": item.get("priority"),
                     "reasons": reasons, "suggested_channel": item.get("suggested_channel"),
                     "suggested_content": item.get("suggested_content"),
                     "idea": idea.get("reason")})
    return rows


def _columns(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def _cell(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False, default=_default)


def render(fmt: str, doc: object, rows: list[dict]) -> bytes:
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2, default=_default).encode() + b"\n"
    columns = _columns(rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[_cell(r.get(c)) for c in columns] for r in rows])
        return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel reads UTF-8
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("export")
    sheet.append(columns)
    for r in rows:
        sheet.append([_cell(r.get(c)) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_private(path: Path, content: bytes) -> None:
    """Create or replace the file readable by its owner only (§13)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its old mode otherwise
        os.write(fd, content)
    finally:
        os.close(fd)


def export(ctx, kind: str, fmt: str, output: str, **filters) -> dict:
    if kind not in KINDS:
        raise InvalidInput(f"unknown export {kind!r}; expected one of {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path = Path(output).expanduser()
    if not path.parent.is_dir():
        raise InvalidInput(f"cannot write {path}: the folder {path.parent} does not exist")
    actor = ctx.actor()
    doc, rows, customer_ids = collect(ctx, kind, filters)
    content = render(fmt, doc, rows)
    unique = list(dict.fromkeys(customer_ids))
    with ctx.begin() as conn:  # the audit rows commit only if the file was written
        detail = {"kind": kind, "format": fmt, "file": str(path), "rows": len(rows)}
        if unique:
            audit_many(conn, actor.staff_id, "export", unique, **detail)
        else:
            audit(conn, actor.staff_id, "export", None, **detail)
        try:
            write_private(path, content)
        except OSError as exc:
            raise InvalidInput(f"cannot write {path}: {exc.strerror}") from None
    return {"kind": kind, "format": fmt, "file": str(path), "rows": len(rows),
            "customers": len(unique)}
