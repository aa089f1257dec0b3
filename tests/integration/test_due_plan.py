"""`due_list` as today's plan (§5) on a real database: settled by a later contact, the
missing extract, cadence by the higher tier, total and shown."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from vipcli.db import models
from vipcli.services.contact.due import due_list

AS_OF = dt.date(2026, 11, 28)


@pytest.fixture
def book(engine):
    factories.org(engine)
    return engine


def customer(engine, cid: str, tier: str = "gold", **fields) -> None:
    values = dict(manager_id="M1", signed_tier=tier, status="signed",
                  birth_date=dt.date(1970, 6, 15), assigned_on=dt.date(2026, 1, 5))
    values.update(fields)
    factories.customer(engine, cid, **values)
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id=cid, level=3, assessed_on=dt.date(2026, 6, 1), valid_until=dt.date(2027, 6, 1),
        recorded_at=dt.datetime(2026, 6, 1, 9)))


def contact(engine, cid: str, at: dt.datetime, channel: str = "phone") -> None:
    factories.rows(engine, models.Contact, dict(customer_id=cid, staff_id="M1", contacted_at=at,
                                                channel=channel))


def outflow(engine, cid: str, txn: str, day: dt.date, fen: int = -62_000_000) -> None:
    factories.rows(engine, models.Transaction, dict(customer_id=cid, txn_id=txn, date=day,
                                                    amount_fen=fen, channel="online"))


def items(ctx, as_of=AS_OF, **kw) -> dict[str, dict]:
    return {i["customer_id"]: i for i in due_list(ctx("M1"), as_of=as_of, **kw)["items"]}


def test_called_on_the_27th_after_an_outflow_on_the_26th_is_not_back_on_the_28th(book, ctx):
    customer(book, "C1")
    contact(book, "C1", dt.datetime(2026, 11, 10, 9))
    outflow(book, "C1", "T1", dt.date(2026, 11, 26))
    assert items(ctx, as_of=dt.date(2026, 11, 27))["C1"]["priority"] == "retention"
    contact(book, "C1", dt.datetime(2026, 11, 27, 15), "sms")  # any contact settles it
    assert "C1" not in items(ctx)
    outflow(book, "C1", "T2", dt.date(2026, 11, 28), fen=-55_000_000)  # a new trigger
    reasons = items(ctx)["C1"]["reasons"]
    assert [(r["kind"], r["detail"]) for r in reasons] == [
        ("large_outflow", "Large outflow of ¥550,000.00 on Nov 28")]


def test_a_birthday_greeted_early_stays_settled_until_next_year(book, ctx):
    customer(book, "C1", birth_date=dt.date(1970, 11, 30))
    contact(book, "C1", dt.datetime(2026, 11, 20, 9))
    assert "birthday" in {r["kind"] for r in items(ctx)["C1"]["reasons"]}
    contact(book, "C1", dt.datetime(2026, 11, 28, 9), "wechat")
    assert "C1" not in items(ctx, as_of=dt.date(2026, 11, 29))


def test_a_missing_extract_raises_no_asset_alerts_and_is_named(book, ctx):
    customer(book, "C1")
    contact(book, "C1", dt.datetime(2026, 10, 28, 9))  # before the extract's trigger
    factories.assets(book, "C1", {"2026-09": "1000000.00"})  # October's extract never came
    doc = due_list(ctx("M1"), as_of=AS_OF)
    assert doc["missing_extract"] == "2026-10" and doc["items"] == []
    factories.assets(book, "C1", {"2026-10": "100.00"})
    doc = due_list(ctx("M1"), as_of=AS_OF)
    assert doc["missing_extract"] is None
    assert [r["kind"] for r in doc["items"][0]["reasons"]] == ["asset_drop"]


def test_an_extract_with_rows_for_others_is_there_and_a_missing_row_is_a_drop(book, ctx):
    customer(book, "C1")
    customer(book, "C2")
    for cid in ("C1", "C2"):
        contact(book, cid, dt.datetime(2026, 10, 28, 9))
    factories.assets(book, "C1", {"2026-09": "1000000.00"})
    factories.assets(book, "C2", {"2026-09": "1000000.00", "2026-10": "1000000.00"})
    doc = due_list(ctx("M1"), as_of=AS_OF)
    assert doc["missing_extract"] is None
    assert doc["items"][0]["reasons"][0]["detail"].startswith("Monthly average assets fell 100%")


def test_gold_card_qualified_platinum_is_on_the_platinum_cadence(book, ctx):
    customer(book, "G1", tier="gold", qualified_tier="platinum")
    customer(book, "G2", tier="gold", qualified_tier="gold")
    for cid in ("G1", "G2"):
        contact(book, cid, dt.datetime(2026, 11, 21, 9))
    found = items(ctx)
    assert found["G1"]["tier"] == "gold" and found["G1"]["cadence_tier"] == "platinum"
    assert [(r["kind"], r["due_date"]) for r in found["G1"]["reasons"]] == [("cadence", "2026-11-28")]
    assert "G2" not in found


def test_total_counts_every_item_and_limit_cuts_the_shown(book, ctx):
    for n in range(1, 5):
        customer(book, f"C{n}", tier="diamond")
    doc = due_list(ctx("M1"), as_of=AS_OF, limit=3)
    assert (doc["total"], doc["shown"], len(doc["items"])) == (4, 3, 3)
    doc = due_list(ctx("M1"), as_of=AS_OF)
    assert (doc["total"], doc["shown"], len(doc["items"])) == (4, 4, 4)
    assert doc["staff_name"] and doc["branch_id"] == "O001"
    assert doc["items"][0]["phone"] == "138****5678"
