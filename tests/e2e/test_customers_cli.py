"""`vip customers`: visibility, filters, the §15 JSON, masking and the audited --reveal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from vipcli.db import models

KEYS = {"customer_id", "name", "signed_tier", "qualified_tier", "adb12", "manager_id", "advisor_id",
        "manager_name", "advisor_name",
        "occupation", "orientation", "phone"}


@pytest.fixture
def book(engine):
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", signed_tier="gold", qualified_tier="platinum",
                       adb12_fen=150_000_000, status="signed", phone="13812345678")
    factories.customer(engine, "C2", manager_id="M1", advisor_id="A1", signed_tier="diamond",
                       qualified_tier="diamond", adb12_fen=600_000_000, status="signed")
    factories.customer(engine, "C3", manager_id="M2", qualified_tier="gold", adb12_fen=20_000_000,
                       status="potential")
    factories.customer(engine, "C4", qualified_tier="platinum", adb12_fen=120_000_000, status="potential")
    factories.customer(engine, "C5", qualified_tier="gold", adb12_fen=10_000_000, status="declined")
    factories.customer(engine, "C6", adb12_fen=5_000_000)
    factories.customer(engine, "C7", branch_id="O002", manager_id="M4", signed_tier="gold", status="signed")
    return engine


def ids(result) -> list[str]:
    assert result.code == 0, result.err
    return [c["customer_id"] for c in result.json()]


def test_a_manager_sees_its_own_book_highest_tier_first(vip, book):
    result = vip("--as", "M1", "customers", "--json")
    assert ids(result) == ["C2", "C1"]
    first = result.json()[1]
    assert set(first) == KEYS
    assert first | {"phone": None} == {
        "customer_id": "C1", "name": "歐陽明", "signed_tier": "gold", "qualified_tier": "platinum",
        "adb12": "1500000.00", "manager_id": "M1", "advisor_id": None, "occupation": "executive",
        "orientation": "value", "phone": None, "manager_name": "李經理", "advisor_name": None}


def test_an_advisor_sees_the_customers_it_supports(vip, book):
    assert ids(vip("--as", "A1", "customers", "--json")) == ["C2"]


def test_the_branch_head_sees_the_whole_outlet_and_no_other(vip, book):
    assert ids(vip("--as", "H1", "customers", "--json")) == ["C2", "C4", "C1", "C3", "C5", "C6"]
    assert ids(vip("--as", "H2", "customers", "--json")) == ["C7"]


def test_an_operator_has_no_book_to_list(vip, book):
    result = vip("--as", "OP1", "customers")
    assert result.code == 1
    assert "has no customers to list" in result.err


def test_filters_by_signed_and_qualified_tier(vip, book):
    assert ids(vip("--as", "H1", "customers", "--tier", "gold", "--json")) == ["C1"]
    assert ids(vip("--as", "H1", "customers", "--tier", "鑽石卡", "--json")) == ["C2"]
    assert ids(vip("--as", "H1", "customers", "--qualified-tier", "platinum", "--json")) == ["C4", "C1"]
    assert ids(vip("--as", "H1", "customers", "--tier", "none", "--qualified-tier", "gold", "--json")) == ["C3", "C5"]


def test_an_unknown_tier_is_refused(vip, book):
    result = vip("--as", "H1", "customers", "--tier", "silver")
    assert result.code == 1 and "expected diamond, platinum, gold or none" in result.err


def test_staff_filter_for_the_branch_head_and_only_self_for_a_manager(vip, book):
    assert ids(vip("--as", "H1", "customers", "--staff", "M2", "--json")) == ["C3"]
    assert ids(vip("--as", "M1", "customers", "--staff", "M1", "--json")) == ["C2", "C1"]
    refused = vip("--as", "M1", "customers", "--staff", "M2")
    assert refused.code == 1 and "only its own book" in refused.err


def test_unassigned_lists_potential_and_signed_vips_without_a_manager(vip, book):
    # C4 qualifies and has no manager; C5 declined; C6 has no tier at all.
    assert ids(vip("--as", "H1", "customers", "--unassigned", "--json")) == ["C4"]


def test_limit(vip, book):
    assert ids(vip("--as", "H1", "customers", "--limit", "2", "--json")) == ["C2", "C4"]


def test_phones_are_masked_by_default(vip, book):
    listed = vip("--as", "M1", "customers", "--json").json()
    assert {c["phone"] for c in listed} == {"138****5678"}
    table = vip("--as", "M1", "customers")
    assert "138****5678" in table.out and "13812345678" not in table.out


def test_reveal_shows_phones_and_audits_each_revealed_customer(vip, book):
    listed = vip("--as", "M1", "customers", "--reveal", "--json").json()
    assert {c["phone"] for c in listed} == {"13812345678"}
    with book.connect() as conn:
        audited = conn.execute(select(models.AuditLog.actor_id, models.AuditLog.action, models.AuditLog.customer_id)).all()
    assert sorted(audited) == [("M1", "reveal", "C1"), ("M1", "reveal", "C2")]


def test_reveal_is_refused_when_a_listed_customer_is_not_the_actors_own(vip, book):
    result = vip("--as", "A1", "customers", "--reveal", "--json")
    assert result.code == 1
    assert result.out == ""
    assert "may not --reveal" in result.err
    with book.connect() as conn:
        assert conn.execute(select(models.AuditLog)).all() == []


def test_the_table_shows_tier_labels_and_money(vip, book):
    result = vip("--as", "M1", "customers")
    assert result.code == 0
    assert "Diamond" in result.out and "6,000,000.00" in result.out
