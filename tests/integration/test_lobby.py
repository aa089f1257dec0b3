"""§9 lobby service on a real database: lookup, routing per outlet and tier, the visit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db.models import AuditLog, Customer, LobbyVisit
from vipcli.errors import InvalidInput, NotFound, PermissionDenied
from vipcli.services.routine.lobby import lobby


@pytest.fixture
def org(engine, monkeypatch):
    monkeypatch.setenv("VIP_TODAY", "2026-11-27")
    factories.org(engine)
    return engine


def test_lookup_by_customer_number(org, ctx):
    factories.customer(org, "C1", name="歐陽明", gender="M", signed_tier="diamond", manager_id="M1")
    doc = lobby(ctx("L1"), "C1")
    assert doc["customer_id"] == "C1"
    assert doc["address_as"] == "歐陽先生"
    assert (doc["tier"], doc["priority"]) == ("diamond", 1)


def test_lookup_by_full_phone_number(org, ctx):
    factories.customer(org, "C1", name="李娜", gender="F", phone="13900001111", signed_tier="gold")
    assert lobby(ctx("L1"), "13900001111")["customer_id"] == "C1"


def test_partial_phone_finds_nobody(org, ctx):
    factories.customer(org, "C1", phone="13900001111")
    with pytest.raises(NotFound):
        lobby(ctx("L1"), "1390000")


def test_shared_phone_asks_for_the_customer_number(org, ctx):
    factories.customer(org, "C1", phone="13900001111")
    factories.customer(org, "C2", phone="13900001111")
    with pytest.raises(InvalidInput, match="C1, C2"):
        lobby(ctx("L1"), "13900001111")


def test_own_customer_goes_to_own_manager(org, ctx):
    factories.customer(org, "C1", signed_tier="platinum", manager_id="M2")
    doc = lobby(ctx("L1"), "C1")
    assert doc["route_to"] == {"staff_id": "M2", "name": "張經理", "role": "account_manager"}
    assert doc["place"] == "VIP room"


def test_other_outlets_diamond_goes_to_this_outlets_branch_head(org, ctx):
    factories.customer(org, "C1", signed_tier="diamond", branch_id="O002", manager_id="M4")
    doc = lobby(ctx("L1"), "C1")
    assert doc["route_to"]["staff_id"] == "H1"
    assert any("introduction" in item for item in doc["service"])


@pytest.mark.parametrize("tier", ["platinum", "gold"])
def test_other_outlets_platinum_or_gold_goes_to_least_loaded_manager(org, ctx, tier):
    # M1 and M2 carry customers; M3 carries none and is chosen; MX is inactive
    factories.customer(org, "B1", signed_tier="gold", manager_id="M1")
    factories.customer(org, "B2", signed_tier="gold", manager_id="M2")
    factories.customer(org, "C1", signed_tier=tier, branch_id="O002", manager_id="M4")
    assert lobby(ctx("L1"), "C1")["route_to"]["staff_id"] == "M3"


def test_load_is_weighted_by_tier_ratio(org, ctx):
    # M1: one Diamond = 1/30; M2: five Gold = 5/200 = 1/40; M3: one Platinum + 1 Gold = 1/100+1/200
    factories.customer(org, "D1", signed_tier="diamond", manager_id="M1")
    for i in range(5):
        factories.customer(org, f"G{i}", signed_tier="gold", manager_id="M2")
    factories.customer(org, "P1", signed_tier="platinum", manager_id="M3")
    factories.customer(org, "G9", signed_tier="gold", manager_id="M3")
    factories.customer(org, "C1", signed_tier="gold", branch_id="O002")
    assert lobby(ctx("L1"), "C1")["route_to"]["staff_id"] == "M3"


def test_own_customer_with_inactive_manager_is_routed_like_unmanaged(org, ctx):
    factories.customer(org, "C1", signed_tier="diamond", manager_id="MX")
    assert lobby(ctx("L1"), "C1")["route_to"]["staff_id"] == "H1"


def test_own_gold_without_manager_goes_to_an_account_manager(org, ctx):
    factories.customer(org, "C1", signed_tier="gold")
    assert lobby(ctx("L1"), "C1")["route_to"]["role"] == "account_manager"


def test_gold_gets_two_ones_and_outlet_decides_place(org, ctx):
    factories.customer(org, "C1", signed_tier="gold", manager_id="M1")
    doc = lobby(ctx("L1"), "C1")
    assert len(doc["service"]) == 2 and doc["priority"] == 3
    assert doc["place"] == "as the outlet decides"


def test_lobby_output_holds_no_phone_id_or_balance(org, ctx):
    factories.customer(org, "C1", signed_tier="diamond", phone="13987654321",
                       id_number="450102198001011234", adb12_fen=612345678, manager_id="M1")
    factories.assets(org, "C1", {"2026-10": "6123456.78"})
    text = json.dumps(lobby(ctx("L1"), "13987654321"), ensure_ascii=False, default=str)
    for secret in ("13987654321", "139****4321", "450102198001011234", "450***********1234",
                   "6123456.78", "6,123,456.78", "612345678", "phone", "id_number", "adb12"):
        assert secret not in text


def test_visit_is_recorded_and_audited(org, ctx, engine):
    factories.customer(org, "C1", signed_tier="gold", branch_id="O002", manager_id="M4")
    lobby(ctx("L1"), "C1")
    with engine.connect() as conn:
        visit = conn.execute(select(LobbyVisit)).one()
        logged = conn.execute(select(AuditLog.action, AuditLog.customer_id)).all()
    assert (visit.customer_id, visit.branch_id, visit.staff_id) == ("C1", "O001", "L1")
    assert visit.routed_to == "M1"
    assert str(visit.visited_at.date()) == "2026-11-27"
    assert ("lobby_lookup", "C1") in logged


def test_branch_head_may_use_the_lobby_but_a_manager_may_not(org, ctx):
    factories.customer(org, "C1", signed_tier="gold", manager_id="M1")
    assert lobby(ctx("H1"), "C1")["customer_id"] == "C1"
    with pytest.raises(PermissionDenied):
        lobby(ctx("M1"), "C1")


def test_lobby_changes_no_customer_data(org, ctx, engine):
    factories.customer(org, "C1", signed_tier="gold", manager_id="M1")
    lobby(ctx("L1"), "C1")
    with engine.connect() as conn:
        assert conn.execute(select(Customer.manager_id)).scalar_one() == "M1"


def test_load_counts_the_higher_of_signed_and_qualified_tier(org, ctx):
    for i in range(3):
        factories.customer(org, f"A{i}", signed_tier="gold", manager_id="M1")
    for i in range(2):
        factories.customer(org, f"B{i}", signed_tier="gold", manager_id="M2")
    # M3: signed Gold but qualified Diamond → 1/30, above M2's 2/200
    factories.customer(org, "Q1", signed_tier="gold", qualified_tier="diamond", manager_id="M3")
    factories.customer(org, "C1", signed_tier="gold", branch_id="O002")
    assert lobby(ctx("L1"), "C1")["route_to"]["staff_id"] == "M2"


def test_lost_and_declined_customers_carry_no_load(org, ctx):
    factories.customer(org, "A1", signed_tier="gold", manager_id="M1")
    factories.customer(org, "B1", signed_tier="gold", manager_id="M2")
    for i in range(5):
        factories.customer(org, f"X{i}", signed_tier="diamond", manager_id="M3",
                           status="lost" if i % 2 else "declined")
    factories.customer(org, "C1", signed_tier="platinum", branch_id="O002")
    assert lobby(ctx("L1"), "C1")["route_to"]["staff_id"] == "M3"
