"""§18 the customer file and loss: who may keep it, what is audited, what leaves the lists,
what an import may fill, and what `vip report retention` counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.services.routine.customer_file import FileEdit, edit, mark_lost, reactivate

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", TODAY.isoformat())
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", advisor_id="A1", signed_tier="gold",
                       qualified_tier="gold", status="signed", adb12_fen=30_000_000)
    factories.customer(engine, "C2", manager_id="M2", signed_tier="platinum",
                       qualified_tier="platinum", status="signed", adb12_fen=200_000_000)
    factories.customer(engine, "C9", branch_id="O002", manager_id="M4", status="prospect")
    return engine


def customer(engine, cid):
    with engine.connect() as conn:
        return conn.execute(select(models.Customer).where(models.Customer.customer_id == cid)).one()


def audits(engine, action):
    with engine.connect() as conn:
        rows = conn.execute(select(models.AuditLog.actor_id, models.AuditLog.customer_id,
                                   models.AuditLog.detail)
                            .where(models.AuditLog.action == action)
                            .order_by(models.AuditLog.id)).all()
    return [(r.actor_id, r.customer_id, json.loads(r.detail)) for r in rows]


def anniversaries(engine, cid):
    with engine.connect() as conn:
        return dict(conn.execute(select(models.Anniversary.label, models.Anniversary.date)
                                 .where(models.Anniversary.customer_id == cid)).all())


# -- edit -------------------------------------------------------------------------------

def test_the_manager_keeps_the_file_and_every_changed_field_is_audited_old_to_new(book, ctx):
    doc = edit(ctx("M1"), "C1", FileEdit(orientation="关系取向", channel="微信", interests="宠物",
                                         notes="likes tea", special_period="住院",
                                         until=dt.date(2026, 12, 31)))
    assert doc["customer_id"] == "C1"
    assert doc["changed"] == {
        "orientation": {"old": "value", "new": "relationship"},
        "preferred_channel": {"old": "phone", "new": "wechat"},
        "interests": {"old": None, "new": "宠物"},
        "notes": {"old": None, "new": "likes tea"},
        "special_period": {"old": None, "new": "住院"},
        "special_until": {"old": None, "new": "2026-12-31"},
    }
    c = customer(book, "C1")
    assert (c.orientation, c.preferred_channel, c.interests, c.special_until) == (
        "relationship", "wechat", "宠物", dt.date(2026, 12, 31))
    logged = {d["field"]: (d["old"], d["new"]) for actor, cid, d in audits(book, "customer_edit")}
    assert logged["orientation"] == ("value", "relationship") and len(logged) == 6


def test_a_value_equal_to_the_stored_one_is_no_change_and_not_audited(book, ctx):
    edit(ctx("M1"), "C1", FileEdit(interests="宠物"))
    again = edit(ctx("M1"), "C1", FileEdit(interests=" 宠物 ", orientation="value"))
    assert again["changed"] == {}
    assert len(audits(book, "customer_edit")) == 1


def test_an_empty_text_clears_the_field(book, ctx):
    edit(ctx("M1"), "C1", FileEdit(notes="x"))
    assert edit(ctx("M1"), "C1", FileEdit(notes=""))["changed"] == {"notes": {"old": "x", "new": None}}


def test_anniversaries_are_replaced_and_removed_by_name(book, ctx):
    edit(ctx("M1"), "C1", FileEdit(anniversaries=["结婚纪念日=2001-05-20", "开户=2010-01-02"]))
    doc = edit(ctx("M1"), "C1", FileEdit(anniversaries=["结婚纪念日=2001-05-21"],
                                         remove_anniversaries=["开户"]))
    assert doc["changed"]["anniversaries"] == {
        "old": {"结婚纪念日": "2001-05-20", "开户": "2010-01-02"},
        "new": {"结婚纪念日": "2001-05-21"}}
    assert anniversaries(book, "C1") == {"结婚纪念日": dt.date(2001, 5, 21)}


@pytest.mark.parametrize("value", ["结婚纪念日", "=2001-05-20", "结婚=2001-02-30", "结婚=2027-01-01"])
def test_a_bad_anniversary_is_refused_and_nothing_is_written(book, ctx, value):
    with pytest.raises(InvalidInput, match="--anniversary"):
        edit(ctx("M1"), "C1", FileEdit(interests="x", anniversaries=[value]))
    assert customer(book, "C1").interests is None and anniversaries(book, "C1") == {}


def test_removing_an_unknown_anniversary_is_refused(book, ctx):
    with pytest.raises(NotFound, match="no anniversary named"):
        edit(ctx("M1"), "C1", FileEdit(remove_anniversaries=["生日"]))


@pytest.mark.parametrize("wanted, message", [
    (FileEdit(special_period="住院"), "needs --until"),
    (FileEdit(special_period="住院", until=TODAY - dt.timedelta(days=1)), "in the past"),
    (FileEdit(until=dt.date(2026, 12, 31)), "no special period on file"),
    (FileEdit(end_special_period=True, until=dt.date(2026, 12, 31)), "goes alone"),
    (FileEdit(orientation="friendly"), "Unknown orientation"),
    (FileEdit(channel="fax"), "Unknown channel"),
])
def test_special_period_and_codes_are_checked(book, ctx, wanted, message):
    with pytest.raises(InvalidInput, match=message):
        edit(ctx("M1"), "C1", wanted)


def test_the_special_period_is_extended_and_ended(book, ctx):
    edit(ctx("M1"), "C1", FileEdit(special_period="住院", until=TODAY))
    assert edit(ctx("M1"), "C1", FileEdit(until=dt.date(2026, 12, 5)))["changed"] == {
        "special_until": {"old": "2026-11-27", "new": "2026-12-05"}}
    edit(ctx("M1"), "C1", FileEdit(end_special_period=True))
    c = customer(book, "C1")
    assert (c.special_period, c.special_until) == (None, None)


def test_the_branch_head_may_edit_any_customer_of_its_outlet(book, ctx):
    assert edit(ctx("H1"), "C2", FileEdit(notes="VIP room"))["changed"]["notes"]["new"] == "VIP room"


def test_another_manager_or_the_advisor_is_refused_naming_who_may(book, ctx):
    with pytest.raises(PermissionDenied, match="not in the book"):
        edit(ctx("M2"), "C1", FileEdit(notes="x"))
    with pytest.raises(PermissionDenied, match=r"only its account manager \(李經理 M1\) or the "
                                               r"branch head of O001 may"):
        edit(ctx("A1"), "C1", FileEdit(notes="x"))
    with pytest.raises(PermissionDenied):
        edit(ctx("H2"), "C1", FileEdit(notes="x"))
    assert customer(book, "C1").notes is None


def test_an_unknown_customer_is_refused(book, ctx):
    with pytest.raises(NotFound, match="unknown customer"):
        edit(ctx("M1"), "C404", FileEdit(notes="x"))


# -- loss -------------------------------------------------------------------------------

def test_a_lost_customer_keeps_its_day_reason_and_previous_status(book, ctx):
    doc = mark_lost(ctx("M1"), "C1", "moved to another bank", dt.date(2026, 11, 20))
    assert (doc["customer_id"], doc["status"]) == ("C1", "lost")
    c = customer(book, "C1")
    assert (c.status, c.lost_on, c.status_before_lost, c.status_reason) == (
        "lost", dt.date(2026, 11, 20), "signed", "moved to another bank")
    assert audits(book, "customer_lost")[0][2]["old"] == "signed"


def test_lost_twice_and_editing_a_lost_customer_are_refused(book, ctx):
    mark_lost(ctx("M1"), "C1", "moved")
    with pytest.raises(RuleViolation, match="already lost"):
        mark_lost(ctx("H1"), "C1", "again")
    with pytest.raises(RuleViolation, match="reactivate it first"):
        edit(ctx("M1"), "C1", FileEdit(notes="x"))


def test_a_loss_needs_a_reason_and_a_day_not_in_the_future(book, ctx):
    with pytest.raises(InvalidInput, match="--reason"):
        mark_lost(ctx("M1"), "C1", "  ")
    with pytest.raises(InvalidInput, match="future"):
        mark_lost(ctx("M1"), "C1", "moved", TODAY + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        mark_lost(ctx("M2"), "C1", "moved")
    assert customer(book, "C1").status == "signed"


def test_reactivate_restores_the_status_before_the_loss(book, ctx):
    mark_lost(ctx("M1"), "C1", "moved")
    assert reactivate(ctx("H1"), "C1")["status"] == "signed"
    c = customer(book, "C1")
    assert (c.status, c.lost_on, c.status_before_lost, c.status_reason) == ("signed", None, None, None)
    with pytest.raises(RuleViolation, match="is not lost"):
        reactivate(ctx("M1"), "C1")


def test_lost_customers_leave_the_lists(book, ctx):
    from vipcli.services.allocation.assignment import handover
    from vipcli.services.core.customers import list_customers
    from vipcli.services.routine.segments import segment

    mark_lost(ctx("M1"), "C1", "moved")
    assert [c["customer_id"] for c in list_customers(ctx("H1"))] == ["C2"]
    assert [c["customer_id"] for c in list_customers(ctx("H1"), lost=True)] == ["C1"]
    assert [c["customer_id"] for c in segment(ctx("H1"))["customers"]] == ["C2"]
    moved = handover(ctx("H1"), "M1", dry_run=True)["assignments"]
    assert "C1" not in {a["customer_id"] for a in moved}


# -- imports fill only what is empty -----------------------------------------------------

def test_a_customers_import_fills_orientation_and_channel_only_where_empty(book, ctx, tmp_path):
    from sqlalchemy import update

    from vipcli.services.imports.importer import import_file

    with book.begin() as conn:
        conn.execute(update(models.Customer).where(models.Customer.customer_id == "C2")
                     .values(orientation=None, preferred_channel=None))
    edit(ctx("M1"), "C1", FileEdit(orientation="service", channel="wechat"))
    header = ["customer_id", "name", "occupation", "orientation", "preferred_channel",
              "branch_id", "manager_id"]
    path = factories.write_csv(tmp_path / "c.csv", header, [
        ["C1", "歐陽明", "executive", "value", "phone", "O001", "M1"],
        ["C2", "歐陽明", "expert", "relationship", "sms", "O001", "M2"],
    ])
    import_file(ctx("OP1"), "customers", path)
    c1, c2 = customer(book, "C1"), customer(book, "C2")
    assert (c1.orientation, c1.preferred_channel) == ("service", "wechat")  # kept
    assert (c2.orientation, c2.preferred_channel, c2.occupation) == ("relationship", "sms", "expert")


# -- retention (§18) --------------------------------------------------------------------

@pytest.fixture
def screened_book(book):
    # the customers were screened in 2026-10 (factories.customer); 2026-09 too
    with book.begin() as conn:
        factories.screened(conn, "2026-09")
    factories.rows(book, models.ScreeningResult, *[
        dict(month="2026-09", customer_id=cid, adb12_fen=adb12, qualified_tier=tier,
             signed_tier=tier, months_below=0)
        for cid, tier, adb12 in (("C1", "gold", 30_000_000), ("C2", "platinum", 200_000_000))])
    return book


def test_the_month_lists_each_loss_with_its_manager_reason_and_adb12(screened_book, ctx):
    from vipcli.services.routine.retention import retention_report

    mark_lost(ctx("M2"), "C2", "moved to another bank", dt.date(2026, 11, 3))
    mark_lost(ctx("M1"), "C1", "emigrated", dt.date(2026, 10, 30))
    doc = retention_report(ctx("H1"), month="2026-11")
    assert doc["month"] == "2026-11" and doc["lost_in_month"] == 1
    assert doc["losses"] == [{"customer_id": "C2", "name": "歐陽明", "tier": "platinum",
                              "manager_id": "M2", "manager_name": "張經理",
                              "lost_on": dt.date(2026, 11, 3), "reason": "moved to another bank",
                              "adb12": "2000000.00"}]
    assert doc["assets_lost_in_month"] == "2000000.00"
    october = retention_report(ctx("H1"), month="2026-10")
    assert [r["customer_id"] for r in october["losses"]] == ["C1"]
    assert retention_report(ctx("M1"), month="2026-11")["losses"] == []  # not its customer


def test_the_trend_counts_each_loss_in_its_own_month(screened_book, ctx):
    from vipcli.services.routine.retention import retention_report

    mark_lost(ctx("M1"), "C1", "emigrated", dt.date(2026, 10, 30))
    trend = retention_report(ctx("H1"), month="2026-11")["trend"]
    assert [p["month"] for p in trend] == ["2026-06", "2026-07", "2026-08", "2026-09",
                                           "2026-10", "2026-11"]
    rates = {p["month"]: p["rate"] for p in trend}
    # October's cohort (screened 2026-09: C1 and C2) lost C1; November's no longer holds it
    assert rates["2026-10"] == 0.5 and rates["2026-11"] == 1.0


def test_a_loss_after_the_period_is_not_lost_in_it(screened_book, ctx):
    from vipcli.services.routine.retention import retention_report

    mark_lost(ctx("M1"), "C1", "emigrated", dt.date(2026, 11, 2))
    doc = retention_report(ctx("H1"), from_month="2026-09", to_month="2026-10")
    assert doc["total"]["lost"] == 0
    later = retention_report(ctx("H1"), from_month="2026-09", to_month="2026-11")
    assert later["total"]["lost"] == 1


def test_a_bad_month_is_refused(screened_book, ctx):
    from vipcli.services.routine.retention import retention_report

    with pytest.raises(InvalidInput, match="YYYY-MM"):
        retention_report(ctx("H1"), month="2026-13")
