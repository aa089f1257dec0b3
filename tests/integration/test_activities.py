"""§10 client activities, invitations by segment, attendance and referral chains."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models
from vipcli.errors import InvalidInput, PermissionDenied
from vipcli.services.routine import activities as act
from vipcli.services.routine import referrals as ref


@pytest.fixture
def book(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    factories.customer(engine, "A", name="歐陽明", signed_tier="diamond", manager_id="M1",
                       orientation="service", phone="13900000001")
    factories.customer(engine, "G", name="李四", signed_tier="gold", manager_id="M1",
                       orientation="service", phone="13900000002")
    factories.customer(engine, "X", name="張三", signed_tier="diamond", manager_id="M2",
                       orientation="service", phone="13900000003")
    factories.customer(engine, "Q", name="王五", signed_tier="diamond", manager_id="M1",
                       status="declined", phone="13900000004")
    return engine


def _salon(ctx, staff="M1"):
    # held before today (2026-11-27): attendance is recorded once it has happened
    return act.add_activity(ctx(staff), kind="salon", title="投資沙龍", held_on=dt.date(2026, 11, 21),
                            place="貴賓室")["id"]


def test_add_and_list_activities_of_the_outlet(book, ctx):
    aid = _salon(ctx)
    listed = act.list_activities(ctx("H1"))
    assert [(a["id"], a["kind"], a["invited"], a["attended"]) for a in listed] == [(aid, "salon", 0, 0)]
    assert act.list_activities(ctx("H2")) == []


def test_unknown_kind_and_lobby_organiser_are_refused(book, ctx):
    with pytest.raises(InvalidInput):
        act.add_activity(ctx("M1"), kind="party", title="x", held_on=dt.date(2026, 12, 5), place=None)
    with pytest.raises(PermissionDenied):
        act.add_activity(ctx("L1"), kind="salon", title="x", held_on=dt.date(2026, 12, 5), place=None)


def test_invite_by_segment_only_among_visible_active_customers(book, ctx):
    aid = _salon(ctx)
    doc = act.invite(ctx("M1"), aid, tier="diamond", orientation="service")
    # X belongs to M2, Q declined, G is Gold
    assert doc["invited"] == ["A"]
    again = act.invite(ctx("M1"), aid, tier="diamond", customers=["G"])
    assert again["invited"] == ["G"] and again["already_invited"] == 1


def test_invite_needs_a_filter_and_refuses_invisible_customers(book, ctx):
    aid = _salon(ctx)
    with pytest.raises(InvalidInput):
        act.invite(ctx("M1"), aid)
    with pytest.raises(PermissionDenied):
        act.invite(ctx("M1"), aid, customers=["X"])


def test_attendance_of_an_uninvited_guest_is_recorded(book, ctx, engine):
    aid = _salon(ctx)
    act.attend(ctx("M1"), aid, "G")
    with engine.connect() as conn:
        inv = conn.execute(select(models.Invitation)).one()
    assert (inv.customer_id, inv.attended) == ("G", True)
    assert act.list_activities(ctx("M1"))[0]["attended"] == 1


def test_friend_brought_becomes_a_referral_prospect(book, ctx, engine):
    aid = _salon(ctx)
    doc = act.attend(ctx("M1"), aid, "A", [("司馬光", "13800009999")])
    friend = doc["referrals"][0]
    assert friend["created"] is True and friend["referrer_id"] == "A"
    with engine.connect() as conn:
        new = conn.execute(select(models.Customer).where(models.Customer.customer_id == friend["customer_id"])).one()
        ref = conn.execute(select(models.Referral)).one()
    assert (new.name, new.phone_masked, new.source, new.status) == ("司馬光", "138****9999", "referral", "prospect")
    assert factories.revealed(engine, friend["customer_id"]) == "13800009999"  # §13: sealed
    assert (new.branch_id, new.manager_id) == ("O001", "M1")
    assert (ref.referrer_id, ref.referred_id, ref.activity_id) == ("A", friend["customer_id"], aid)


def test_referral_chain_a_refers_b_who_refers_c(book, ctx):
    first, second = _salon(ctx), _salon(ctx)
    b = act.attend(ctx("M1"), first, "A", [("夏侯惇", "13800000011")])["referrals"][0]["customer_id"]
    # B is now in M1's book (the referrer's manager), so M1 records B's friend too
    c = act.attend(ctx("M1"), second, b, [("諸葛亮", "13800000012")])["referrals"][0]["customer_id"]
    counts = {r["customer_id"]: r for r in ref.referral_counts(ctx("M1"))}
    assert counts["A"]["referred"] == [b]
    assert counts[b]["referred"] == [c]
    assert counts["A"]["referrals"] == counts[b]["referrals"] == 1
    assert c not in counts


def test_friend_already_a_customer_is_linked_not_duplicated(book, ctx, engine):
    aid = _salon(ctx)
    doc = act.attend(ctx("M1"), aid, "A", [("李四", "13900000002")])
    assert doc["referrals"][0] == {"customer_id": "G", "name": "李四", "created": False,
                                   "referrer_id": "A", "linked": True, "manager_id": None}
    # G cannot be referred a second time by someone else
    again = act.attend(ctx("M2"), aid, "X", [("李四", "13900000002")])
    assert again["referrals"][0]["linked"] is False
    with engine.connect() as conn:
        assert len(conn.execute(select(models.Customer.customer_id)).all()) == 4


def test_referral_counts_only_for_customers_the_actor_sees(book, ctx):
    aid = _salon(ctx)
    act.attend(ctx("M2"), aid, "X", [("令狐沖", "13800000021"), ("東方朔", "13800000022")])
    assert ref.referral_counts(ctx("M1")) == []
    assert ref.referral_counts(ctx("H1"))[0]["referrals"] == 2


def test_brought_must_be_name_and_phone():
    assert ref.parse_brought("張三:13900001111") == ("張三", "13900001111")
    assert ref.parse_brought("張三：13900001111") == ("張三", "13900001111")
    for bad in ("張三", ":13900001111", "張三:abc"):
        with pytest.raises(InvalidInput):
            ref.parse_brought(bad)
