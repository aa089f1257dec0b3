"""§11 the work journal: entries and the week's summary filled from the data."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, PermissionDenied
from vipcli.services.routine import journal

# ISO week 2026-W48 runs Monday 2026-11-23 to Sunday 2026-11-29.
MON = dt.datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def week_data(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    for cid in ("C1", "C2", "C3"):
        factories.customer(engine, cid, manager_id="M1", signed_tier="gold")
    contacts = [
        ("C1", MON, "meeting"),
        ("C1", MON + dt.timedelta(days=1), "phone"),
        ("C2", MON + dt.timedelta(days=6, hours=14), "meeting"),  # Sunday afternoon: in
        ("C3", MON + dt.timedelta(days=2), "sms"),
        ("C3", MON - dt.timedelta(hours=10), "meeting"),  # previous Sunday: out
        ("C2", MON + dt.timedelta(days=7), "phone"),  # next Monday: out
    ]
    factories.rows(engine, models.Contact, *[
        dict(customer_id=c, staff_id="M1", contacted_at=at, channel=ch) for c, at, ch in contacts
    ])
    factories.rows(engine, models.LobbyVisit,
                   dict(customer_id="C1", branch_id="O001", staff_id="L1", visited_at=MON, routed_to="M1"),
                   dict(customer_id="C2", branch_id="O001", staff_id="L1", visited_at=MON, routed_to="M2"))
    factories.rows(engine, models.Opportunity, *[
        dict(customer_id="C1", owner_id="M1", stage="won", won_amount_fen=fen, opened_at=MON,
             closed_at=closed, expected_amount_fen=None, product_code=None)
        for fen, closed in ((12_345_600, MON + dt.timedelta(days=3)),
                            (100_000, MON + dt.timedelta(days=4)),
                            (999_900, MON - dt.timedelta(days=1)))
    ])
    factories.rows(engine, models.Opportunity, dict(customer_id="C2", owner_id="M1", stage="lost",
                                               lost_reason="no", opened_at=MON, closed_at=MON))
    return engine


def test_week_figures_are_filled_from_the_data(week_data, ctx):
    journal.add_entry(ctx("M1"), kind="meeting", text="晨會：主推定投", on=dt.date(2026, 11, 23))
    journal.add_entry(ctx("M1"), kind="memo", text="上周的", on=dt.date(2026, 11, 22))
    doc = journal.week_summary(ctx("M1"), week="2026-W48")
    assert (doc["from"], doc["to"]) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert doc["visits"] == {"meetings": 2, "lobby": 1, "total": 3}
    assert doc["contacts"] == {"total": 4, "customers": 3,
                               "by_channel": {"meeting": 2, "phone": 1, "sms": 1}}
    assert doc["weekly_rule"] == {"contacted": 3, "target": 10, "met": False}
    assert doc["sales"]["won"] == 2 and doc["sales"]["amount"] == "124456.00"
    assert [e["text"] for e in doc["entries"]] == ["晨會：主推定投"]


def test_default_week_is_this_iso_week(week_data, ctx):
    assert journal.week_summary(ctx("M1"))["week"] == "2026-W48"


def test_branch_head_reads_a_managers_week_but_a_manager_not_another(week_data, ctx):
    assert journal.week_summary(ctx("H1"), staff_id="M1")["visits"]["total"] == 3
    with pytest.raises(PermissionDenied):
        journal.week_summary(ctx("M2"), staff_id="M1")
    with pytest.raises(PermissionDenied):
        journal.week_summary(ctx("H2"), staff_id="M1")


def test_week_label_is_validated():
    today = dt.date(2026, 11, 27)
    assert journal.week_bounds("2026-W01", today)[1] == dt.date(2025, 12, 29)
    for bad in ("2026-48", "2026-W54", "W48"):
        with pytest.raises(InvalidInput):
            journal.week_bounds(bad, today)


def test_entry_kind_text_and_date_are_validated(week_data, ctx):
    with pytest.raises(InvalidInput):
        journal.add_entry(ctx("M1"), kind="gossip", text="x")
    with pytest.raises(InvalidInput):
        journal.add_entry(ctx("M1"), kind="memo", text="  ")
    with pytest.raises(InvalidInput):
        journal.add_entry(ctx("M1"), kind="memo", text="x", on=dt.date(2026, 11, 28))
    assert journal.add_entry(ctx("M1"), kind="memo", text="x")["date"] == dt.date(2026, 11, 27)
