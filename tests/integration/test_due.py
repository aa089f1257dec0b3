"""`due_list` on a real database: every source table, visibility, ordering, the header."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from vipcli.db import models
from vipcli.errors import NotFound, PermissionDenied
from vipcli.services.contact.due import due_list, due_reasons_for

AS_OF = dt.date(2026, 11, 27)  # a Friday; no Chinese holiday within 3 days
AT = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def book(engine):
    factories.org(engine)
    return engine


def vip(engine, cid: str, tier: str = "diamond", manager: str = "M1", **fields) -> None:
    values = dict(manager_id=manager, signed_tier=tier, status="signed",
                  birth_date=dt.date(1970, 6, 15))
    values.update(fields)
    factories.customer(engine, cid, **values)
    # A valid risk assessment keeps the risk_assessment reason out of the way.
    factories.rows(engine, models.RiskAssessment, dict(customer_id=cid, level=3, assessed_on=dt.date(2026, 6, 1),
                                          valid_until=dt.date(2027, 6, 1), recorded_at=AT))


def contact(engine, cid: str, at: dt.datetime, channel: str = "phone", staff: str = "M1") -> None:
    factories.rows(engine, models.Contact, dict(customer_id=cid, staff_id=staff, contacted_at=at, channel=channel))


def items(ctx, actor="M1", **kw) -> dict[str, dict]:
    doc = due_list(ctx(actor), as_of=kw.pop("as_of", AS_OF), **kw)
    return {i["customer_id"]: i for i in doc["items"]}


def kinds(item: dict) -> set[str]:
    return {r["kind"] for r in item["reasons"]}


def test_diamond_called_15_days_ago_is_due_today_and_not_yesterday(book, ctx):
    vip(book, "C1")
    contact(book, "C1", dt.datetime(2026, 11, 12, 9))
    assert items(ctx)["C1"]["reasons"][0] == {
        "kind": "cadence", "detail": "Diamond contact due today; last phone Nov 12",
        "due_date": "2026-11-27", "overdue_days": 0}
    assert "C1" not in items(ctx, as_of=dt.date(2026, 11, 26))


def test_meeting_holds_the_cadence_twice_as_long(book, ctx):
    vip(book, "C1")
    contact(book, "C1", dt.datetime(2026, 11, 12, 9), "meeting")
    assert "C1" not in items(ctx)
    assert kinds(items(ctx, as_of=dt.date(2026, 12, 12))["C1"]) == {"cadence"}


def test_sms_only_leaves_the_cadence_due(book, ctx):
    vip(book, "C1", assigned_on=dt.date(2026, 10, 1))
    contact(book, "C1", dt.datetime(2026, 10, 2, 9), "phone", staff="M1")
    contact(book, "C1", dt.datetime(2026, 11, 26, 9), "sms")
    reasons = items(ctx)["C1"]["reasons"]
    assert [r["kind"] for r in reasons] == ["cadence"]
    assert reasons[0]["due_date"] == "2026-10-17"


def test_contacts_after_as_of_are_ignored(book, ctx):
    vip(book, "C1")
    contact(book, "C1", dt.datetime(2026, 11, 12, 9))
    contact(book, "C1", dt.datetime(2026, 11, 28, 9))
    assert kinds(items(ctx)["C1"]) == {"cadence"}


def test_maturity_on_the_lead_day_and_not_the_day_after(book, ctx):
    vip(book, "C1")
    contact(book, "C1", AT)
    factories.rows(book, models.Product, dict(product_code="P1", name="本利豐", category="wealth"))
    for start, maturity in ((dt.date(2026, 1, 1), dt.date(2026, 12, 4)),
                            (dt.date(2026, 1, 2), dt.date(2026, 12, 5))):
        factories.rows(book, models.Holding, dict(customer_id="C1", product_code="P1", start_date=start,
                                     amount_fen=100_000_00, maturity_date=maturity))
    reasons = [r for r in items(ctx)["C1"]["reasons"] if r["kind"] == "maturity"]
    assert [r["due_date"] for r in reasons] == ["2026-12-04"]


@pytest.mark.parametrize("amount_fen, alert", [(-49_999_999, False), (-50_000_000, True)])
def test_outflow_just_under_and_at_the_threshold(book, ctx, amount_fen, alert):
    vip(book, "C1")
    contact(book, "C1", AT)
    factories.rows(book, models.Transaction, dict(customer_id="C1", txn_id="T1", date=dt.date(2026, 11, 21),
                                     amount_fen=amount_fen, channel="online"))
    found = items(ctx)
    assert ("C1" in found and found["C1"]["priority"] == "retention") is alert


def test_outflow_older_than_the_window_is_no_alert(book, ctx):
    vip(book, "C1")
    contact(book, "C1", AT)
    factories.rows(book, models.Transaction, dict(customer_id="C1", txn_id="T1", date=dt.date(2026, 11, 20),
                                     amount_fen=-90_000_000, channel="online"))
    assert "C1" not in items(ctx)


def test_asset_drop_compares_the_last_two_calendar_months(book, ctx):
    vip(book, "C1")
    contact(book, "C1", dt.datetime(2026, 10, 28, 9))  # before the November extract
    factories.assets(book, "C1", {"2026-09": "1000000.00", "2026-10": "700000.00"})
    reason = items(ctx)["C1"]["reasons"][0]
    assert reason["kind"] == "asset_drop" and "30%" in reason["detail"]


def test_gold_no_visit_uses_counter_transactions_and_lobby_visits(book, ctx):
    vip(book, "G1", tier="gold")
    contact(book, "G1", AT)
    factories.rows(book, models.Transaction, dict(customer_id="G1", txn_id="T1", date=dt.date(2026, 11, 15),
                                     amount_fen=100, channel="counter"))
    factories.rows(book, models.LobbyVisit, dict(customer_id="G1", branch_id="O001",
                                    visited_at=dt.datetime(2026, 11, 20, 15)))
    reasons = items(ctx)["G1"]["reasons"]
    assert [(r["kind"], r["due_date"]) for r in reasons] == [("gold_no_visit", "2026-11-27")]
    assert "G1" not in items(ctx, as_of=dt.date(2026, 11, 26))


def test_workflow_reasons_first_contact_followups_activity(book, ctx):
    vip(book, "C1", assigned_on=dt.date(2026, 11, 25))
    contact(book, "C1", dt.datetime(2026, 11, 10, 9), staff="M2")  # not by the current manager
    contact(book, "C1", dt.datetime(2026, 11, 26, 9), "meeting", staff="A1")
    factories.rows(book, models.Opportunity, dict(customer_id="C1", owner_id="M1", stage="proposal",
                                     next_action="send proposal", next_date=AS_OF, opened_at=AT))
    factories.rows(book, models.Contact, dict(id=900, customer_id="C1", staff_id="M2", channel="sms",
                                 contacted_at=dt.datetime(2026, 11, 1, 9)))
    factories.rows(book, models.CommunicationReport, dict(contact_id=900, next_plan="call back",
                                             next_date=dt.date(2026, 11, 26)))
    factories.rows(book, models.Activity, dict(id=1, branch_id="O001", kind="salon", title="投資沙龍",
                                  held_on=dt.date(2026, 12, 4), created_at=AT))
    factories.rows(book, models.Invitation, dict(activity_id=1, customer_id="C1", invited_at=AT))
    reasons = {r["kind"]: r for r in items(ctx)["C1"]["reasons"]}
    assert set(reasons) == {"first_contact", "opportunity_followup", "report_followup", "activity"}
    assert reasons["first_contact"]["due_date"] == "2026-12-02"
    assert reasons["report_followup"]["overdue_days"] == 1
    assert reasons["activity"]["due_date"] == "2026-12-04"


def test_missing_risk_assessment_for_a_signed_customer(book, ctx):
    factories.customer(book, "C9", manager_id="M1", signed_tier="gold", status="signed")
    contact(book, "C9", AT)
    assert kinds(items(ctx)["C9"]) == {"risk_assessment"}


def test_declined_and_lost_customers_are_not_listed(book, ctx):
    vip(book, "C1", status="declined")
    vip(book, "C2", status="lost")
    vip(book, "C3")
    assert set(items(ctx)) == {"C3"}


def test_order_is_retention_then_overdue_by_tier_then_upcoming(book, ctx):
    for cid, tier in (("P1", "platinum"), ("D1", "diamond"), ("G1", "gold"), ("U1", "gold")):
        vip(book, cid, tier=tier)
    contact(book, "P1", dt.datetime(2026, 11, 1, 9))
    contact(book, "D1", dt.datetime(2026, 11, 5, 9))
    contact(book, "G1", AT)
    contact(book, "U1", AT)
    factories.rows(book, models.Transaction, dict(customer_id="G1", txn_id="T1", date=AS_OF,
                                     amount_fen=-60_000_000, channel="online"))
    factories.rows(book, models.Anniversary, dict(customer_id="U1", label="開戶紀念", date=dt.date(2010, 11, 29)))
    doc = due_list(ctx("M1"), as_of=AS_OF)
    assert [i["customer_id"] for i in doc["items"]] == ["G1", "D1", "P1", "U1"]
    assert [i["priority"] for i in doc["items"]] == ["retention", "overdue", "overdue", "upcoming"]
    assert [i["customer_id"] for i in due_list(ctx("M1"), as_of=AS_OF, limit=2)["items"]] == ["G1", "D1"]


def test_document_shape_channel_content_and_week(book, ctx):
    vip(book, "C1", preferred_channel="wechat", orientation="relationship")
    contact(book, "C1", dt.datetime(2026, 11, 23, 9), "sms")  # Monday of the ISO week
    contact(book, "C1", dt.datetime(2026, 11, 22, 9), "sms")  # Sunday before: last week
    doc = due_list(ctx("M1"), as_of=AS_OF)
    assert doc["as_of"] == "2026-11-27" and doc["staff_id"] == "M1"
    assert doc["week"] == {"contacted": 1, "target": 10}
    item = doc["items"][0]
    assert {"customer_id", "name", "tier", "cadence_tier", "phone", "priority", "reasons",
            "suggested_channel", "suggested_content", "idea"} <= set(item)
    # §5: the cadence asks for a call; a WeChat message would not count toward it.
    assert [r["kind"] for r in item["reasons"]] == ["cadence"]
    assert item["suggested_channel"] == "phone"
    assert item["suggested_content"] == "personal care and attention"
    assert (doc["total"], doc["shown"], doc["missing_extract"]) == (1, 1, "2026-10")


def test_the_week_counts_distinct_customers_up_to_as_of(book, ctx):
    for cid in ("C1", "C2", "C3"):
        vip(book, cid)
    contact(book, "C1", dt.datetime(2026, 11, 23, 9))
    contact(book, "C1", dt.datetime(2026, 11, 24, 9), "meeting")
    contact(book, "C2", dt.datetime(2026, 11, 27, 18))
    contact(book, "C3", dt.datetime(2026, 11, 28, 9))  # Saturday, after as_of
    contact(book, "C3", dt.datetime(2026, 11, 25, 9), staff="M2")  # someone else's contact
    assert due_list(ctx("M1"), as_of=AS_OF)["week"] == {"contacted": 2, "target": 10}
    assert due_list(ctx("M1"), as_of=dt.date(2026, 11, 29))["week"]["contacted"] == 3


def test_limit_keeps_the_most_urgent_rows(book, ctx):
    for cid in ("C1", "C2", "C3"):
        vip(book, cid)
    contact(book, "C2", dt.datetime(2026, 11, 1, 9))
    doc = due_list(ctx("M1"), as_of=AS_OF, limit=1)
    assert [i["customer_id"] for i in doc["items"]] == ["C2"]


def test_holidays_are_grouped_with_the_number_of_customers(book, ctx):
    vip(book, "C1")
    vip(book, "C2")
    for cid in ("C1", "C2"):
        contact(book, cid, dt.datetime(2026, 9, 20, 9), "meeting")
    doc = due_list(ctx("M1"), as_of=dt.date(2026, 9, 23))
    assert doc["holidays"] == [{"date": "2026-09-25", "holiday": "中秋节", "customers": 2}]
    assert all("holiday" in kinds(i) for i in doc["items"])


# --- visibility --------------------------------------------------------------------------


def test_a_manager_sees_only_its_own_book(book, ctx):
    vip(book, "C1", manager="M1")
    vip(book, "C2", manager="M2")
    assert set(items(ctx, "M1")) == {"C1"}
    assert set(items(ctx, "M2")) == {"C2"}


def test_an_advisor_sees_the_customers_it_advises(book, ctx):
    vip(book, "C1", manager="M1", advisor_id="A1")
    vip(book, "C2", manager="M2")
    assert set(items(ctx, "A1")) == {"C1"}
    assert due_list(ctx("A1"), as_of=AS_OF)["week"]["target"] is None  # §5 binds managers
    assert set(items(ctx, "H1", staff_id="A1")) == {"C1"}


def test_branch_head_sees_the_outlet_or_one_staff_member(book, ctx):
    vip(book, "C1", manager="M1")
    vip(book, "C2", manager="M2")
    vip(book, "C4", manager="M4", branch_id="O002")
    doc = due_list(ctx("H1"), as_of=AS_OF)
    assert {i["customer_id"] for i in doc["items"]} == {"C1", "C2"}
    assert doc["staff_id"] is None and doc["outlet"]["unreviewed_reports"] == 0
    assert doc["week"]["target"] == 30  # three active account managers at O001
    assert set(items(ctx, "H1", staff_id="M2")) == {"C2"}


def test_branch_head_may_not_look_at_another_outlets_staff(book, ctx):
    with pytest.raises(PermissionDenied):
        due_list(ctx("H1"), staff_id="M4", as_of=AS_OF)
    with pytest.raises(NotFound):
        due_list(ctx("H1"), staff_id="NOBODY", as_of=AS_OF)


@pytest.mark.parametrize("actor, staff", [("M1", "M2"), ("OP1", None), ("AP2", None)])
def test_others_are_refused(book, ctx, actor, staff):
    with pytest.raises(PermissionDenied):
        due_list(ctx(actor), staff_id=staff, as_of=AS_OF)


def test_due_reasons_for_the_profile_page(book, ctx, engine):
    vip(book, "C1")
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        found = due_reasons_for(session, ["C1"], AS_OF, ctx().rules)
    assert [r["kind"] for r in found["C1"]] == ["cadence"]  # the quarterly is the same silence


def test_holidays_are_computed_once_per_year_and_cached(monkeypatch, _isolated_home):
    from vipcli.domain import occasions
    from vipcli.services.core import holiday_cache

    first = holiday_cache.holidays_of(2026)
    assert (dt.date(2026, 2, 17), "春节") in first
    assert (_isolated_home / "cache" / "holidays-cn-2026.json").is_file()

    def unavailable(year):
        raise AssertionError("the cache was not used")

    original = occasions.public_holidays
    monkeypatch.setattr(occasions, "public_holidays", unavailable)
    assert holiday_cache.holidays_of(2026) == first
    (_isolated_home / "cache" / "holidays-cn-2026.json").write_text("garbage")
    monkeypatch.setattr(occasions, "public_holidays", original)
    assert holiday_cache.holidays_of(2026) == first
