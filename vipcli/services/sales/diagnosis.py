"""`vip diagnose CUSTOMER [--output FILE.xlsx]` (财富诊断, SPEC §18, §15).

The customer's holdings by category against the model allocation of its valid risk
level (rules.diagnosis), the gaps, and the suitable products that fill the under-weight
categories. A diagnosis is a piece of work: it sets `customers.last_diagnosis_on` (what
§8's portfolio idea reads) and is audited. With `--output` the same figures go to an
xlsx file with a native bar chart, written like every export (§12: never over a file
without --force, never the database, 0600, renamed into place) and audited as one.

Valuation (docs/rules.md "Wealth diagnosis", ours): the holdings live on the day (started,
not matured); a holding with units and a nav is worth units × the latest nav on or before
the day (§12, as `vip show` values it), any other at its amount.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NotRequired, TypedDict

from sqlalchemy import or_, select

from vipcli import clock
from vipcli.domain import diagnosis, labels
from vipcli.domain.due_rules import holding_value_fen
from vipcli.domain.money import money_str
from vipcli.domain.suitability import Suitability
from vipcli.errors import InvalidInput, RuleViolation
from vipcli.i18n import _
from vipcli.services.core.access import get_visible_customer
from vipcli.services.core.audit import audit
from vipcli.services.lifecycle.risk import load_assessments

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from vipcli.config import Rules
    from vipcli.db.models import Customer
    from vipcli.services.core.context import Context

FORMAT = Decimal("0.0001")


class GapItem(TypedDict):
    """§15: a category whose model share differs from the current one by the threshold or
    more; `gap` = model − current, positive under-weight."""

    category: str
    gap: str


class SuggestedProduct(TypedDict):
    """A product that fills an under-weight category, by name beside its code (§16)."""

    product_code: str
    name: str
    category: str  # the diagnosis category it fills
    risk_rating: int | None


class Diagnosis(TypedDict):
    """`vip diagnose --json` (§15): shares as strings with 4 decimals, money in yuan."""

    customer_id: str
    name: str
    as_of: str
    risk_level: int
    risk_level_label: str
    total: str  # the financial assets compared, in yuan
    values: dict[str, str]  # yuan per category
    current: dict[str, str]
    model: dict[str, str]
    gaps: list[GapItem]
    products: list[str]
    suggested: list[SuggestedProduct]
    file: NotRequired[str]  # with --output


def _share(value: Decimal) -> str:
    return str(value.quantize(FORMAT))


def _held(session: Session, customer_id: str, today: dt.date) -> list[tuple[str, str, int]]:
    """(product code, product category, value in fen) of each holding live on `today`."""
    from vipcli.db.models import Holding, Product
    from vipcli.services.core.prices import latest_navs

    h = Holding
    rows = session.execute(
        select(h.product_code, Product.category, h.amount_fen, h.units)
        .join(Product, Product.product_code == h.product_code)
        .where(h.customer_id == customer_id, h.start_date <= today,
               or_(h.maturity_date.is_(None), h.maturity_date >= today))
    ).all()
    navs = latest_navs(session, sorted({r.product_code for r in rows if r.units is not None}),
                       today)
    return [(r.product_code, r.category,
             holding_value_fen(r.units, navs[r.product_code][1])
             if r.units is not None and r.product_code in navs else r.amount_fen)
            for r in rows]


def _candidates(session: Session) -> list[diagnosis.Candidate]:
    from vipcli.db.models import Product

    p = Product
    return [diagnosis.Candidate(r.product_code, r.name, r.category, r.risk_rating, r.launched_on)
            for r in session.execute(select(p.product_code, p.name, p.category, p.risk_rating,
                                            p.launched_on).order_by(p.product_code))]


def diagnosis_of(session: Session, customer: Customer, today: dt.date, rules: Rules) -> Diagnosis:
    """The §15 document of one (already visible) customer; refused without a valid
    risk assessment (the model allocation depends on the level)."""
    cid = customer.customer_id
    suitability = Suitability(load_assessments(session, [cid])[cid], today)
    if suitability.valid is None:
        raise RuleViolation(_(
            "customer {customer} has no valid risk assessment ({reason}), so there is no model "
            "allocation to compare with; record one first: vip risk record {customer} --level N"
        ).format(customer=cid, reason=suitability.missing))
    level = suitability.valid.level
    held = _held(session, cid, today)
    values = diagnosis.values_by_category((category, fen) for _code, category, fen in held)
    current = diagnosis.shares(values)
    model = rules.diagnosis.model(level).shares()
    found = diagnosis.gaps(current, model, rules.diagnosis.gap_threshold)
    fill = diagnosis.fillers(_candidates(session), found,
                             lambda rating: suitability.blocked_reason(rating) is None,
                             {code for code, _category, _fen in held}, today)
    return {
        "customer_id": cid,
        "name": customer.name,
        "as_of": today.isoformat(),
        "risk_level": level,
        "risk_level_label": labels.risk_level(level),
        "total": money_str(sum(values.values())) or "0.00",
        "values": {c: money_str(v) or "0.00" for c, v in values.items()},
        "current": {c: _share(v) for c, v in current.items()},
        "model": {c: _share(v) for c, v in model.items()},
        "gaps": [{"category": g.category, "gap": _share(g.gap)} for g in found],
        "products": [p.product_code for p in fill],
        "suggested": [{"product_code": p.product_code, "name": p.name,
                       "category": diagnosis.category_of(p.category) or "other",
                       "risk_rating": p.risk_rating} for p in fill],
    }


def diagnose(ctx: Context, customer_id: str, *, output: str | None = None,
             force: bool = False) -> Diagnosis:
    """`vip diagnose`: the document; records the diagnosis; writes the xlsx if asked."""
    from vipcli.db.engine import sqlite_path
    from vipcli.services.core import files

    path = None
    if output is not None:  # refused before any work (§12)
        protected = files.database_files(sqlite_path(str(ctx.engine.url)))
        path = files.check_target(output, force=force, protected=protected).absolute()
    actor = ctx.actor()
    today = clock.today()
    placed: Path | None = None
    try:
        with ctx.session() as session:
            customer = get_visible_customer(session, actor, customer_id)
            doc = diagnosis_of(session, customer, today, ctx.rules)
            if customer.last_diagnosis_on is None or customer.last_diagnosis_on < today:
                customer.last_diagnosis_on = today  # §8: the portfolio idea counts from here
            audit(session, actor.staff_id, "diagnosis", customer.customer_id,
                  risk_level=doc["risk_level"], gaps=[g["category"] for g in doc["gaps"]])
            if path is not None:
                doc["file"] = str(path)
                audit(session, actor.staff_id, "export", customer.customer_id, kind="diagnosis",
                      format="xlsx", file=str(path), rows=len(doc["current"]))
                placed = _write(path, workbook(doc), force=force)
    except BaseException:
        if placed is not None:  # the file and the records: both or neither
            placed.unlink(missing_ok=True)
        raise
    return doc


def _write(path: Path, content: bytes, *, force: bool) -> Path:
    from vipcli.services.core import files

    try:
        files.make_folders(path.parent)
        with files.temporary_beside(path, "export") as temporary:
            files.write_bytes(temporary, content)
            files.place(temporary, path, force=force)
    except OSError as exc:
        raise InvalidInput(_("cannot write {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from None
    return path


def gap_sentence(category: str, gap: str, current: str, model: str) -> str:
    """`理财 低于模型配置 12.00 个百分点（当前 18.00%，模型 30.00%）` (§18: gaps in sentences)."""
    points = f"{abs(Decimal(gap)) * 100:.2f}"
    now, aim = f"{Decimal(current) * 100:.2f}%", f"{Decimal(model) * 100:.2f}%"
    text = (_("{category}: under-weight by {points} points (now {current}, model {model})")
            if Decimal(gap) > 0 else
            _("{category}: over-weight by {points} points (now {current}, model {model})"))
    return text.format(category=labels.diagnosis_category(category), points=points,
                       current=now, model=aim)


def workbook(doc: Diagnosis) -> bytes:
    """The diagnosis as an xlsx sheet: the table, a clustered bar chart (current vs model by
    category), the gaps and the products; titles in the screen's language (§16); printed
    landscape on one page."""
    import io

    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    from vipcli.services.core.cells import put_text

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Wealth diagnosis")[:31]
    customer = labels.named(doc["name"], doc["customer_id"])
    put_text(sheet, 1, 1, _("Wealth diagnosis of {customer}").format(customer=customer)).font = \
        Font(bold=True, size=14)
    put_text(sheet, 2, 1, _("Risk level {level}; financial assets {total} CNY; {date}").format(
        level=doc["risk_level_label"], total=f"{Decimal(doc['total']):,.2f}", date=doc["as_of"]))
    head = 4
    for column, title in enumerate((_("Category"), _("Current"), _("Model"), _("Gap"),
                                    _("Value (CNY)")), start=1):
        put_text(sheet, head, column, title).font = Font(bold=True)
    for row, category in enumerate(doc["current"], start=head + 1):
        put_text(sheet, row, 1, labels.diagnosis_category(category))
        now, aim = Decimal(doc["current"][category]), Decimal(doc["model"][category])
        for column, value, shape in ((2, now, "0.00%"), (3, aim, "0.00%"),
                                     (4, aim - now, "0.00%"),
                                     (5, Decimal(doc["values"][category]), "#,##0.00")):
            sheet.cell(row=row, column=column, value=value).number_format = shape
    last = head + len(doc["current"])
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = _("Current allocation and model allocation")
    chart.y_axis.title = _("Share of financial assets")
    chart.y_axis.numFmt = "0%"
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes by default
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=head, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=head + 1, max_row=last))
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, "G4")
    row = last + 2
    put_text(sheet, row, 1, _("Gaps")).font = Font(bold=True)
    for gap in doc["gaps"]:
        row += 1
        put_text(sheet, row, 1, gap_sentence(gap["category"], gap["gap"],
                                             doc["current"][gap["category"]],
                                             doc["model"][gap["category"]]))
    if not doc["gaps"]:
        row += 1
        put_text(sheet, row, 1, _("No category is off the model by the threshold or more."))
    row += 2
    put_text(sheet, row, 1, _("Suitable products for the under-weight categories")).font = \
        Font(bold=True)
    for product in doc["suggested"]:
        row += 1
        put_text(sheet, row, 1, labels.diagnosis_category(product["category"]))
        put_text(sheet, row, 2, labels.named(product["name"], product["product_code"]))
        put_text(sheet, row, 3, f"PR{product['risk_rating']}" if product["risk_rating"] else "")
    sheet.column_dimensions["A"].width = 16
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 14
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
