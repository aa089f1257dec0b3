"""§4 segments: filters on the signed tier, occupation, orientation; cross-tab counts."""

from __future__ import annotations

import pytest

from tests import factories
from vipcli.errors import InvalidInput
from vipcli.services.routine.segments import segment


@pytest.fixture
def book(engine):
    factories.org(engine)
    rows = [
        ("C1", "diamond", "executive", "value", "M1"),
        ("C2", "diamond", "executive", "value", "M1"),
        ("C3", "gold", "expert", "service", "M1"),
        ("C4", None, "expert", None, "M1"),
        ("C5", "gold", "executive", "value", "M2"),
    ]
    for cid, tier, occ, ori, mgr in rows:
        factories.customer(engine, cid, signed_tier=tier, occupation=occ, orientation=ori, manager_id=mgr)
    factories.customer(engine, "Z1", signed_tier="diamond", branch_id="O002", manager_id="M4")
    return engine


def test_cross_tab_counts_include_none(book, ctx):
    doc = segment(ctx("M1"), by="tier,orientation")
    assert doc["counts"] == [
        {"tier": "diamond", "orientation": "value", "count": 2},
        {"tier": "gold", "orientation": "service", "count": 1},
        {"tier": "none", "orientation": "none", "count": 1},
    ]
    assert doc["total"] == 4


def test_default_cross_tab_is_tier_occupation_orientation(book, ctx):
    doc = segment(ctx("H1"))
    assert doc["by"] == ["tier", "occupation", "orientation"]
    assert {"tier": "gold", "occupation": "executive", "orientation": "value", "count": 1} in doc["counts"]
    assert doc["total"] == 5  # the other outlet's customer is not counted


def test_filters_combine_and_list_is_masked(book, ctx):
    doc = segment(ctx("H1"), tier="gold", occupation="executive")
    assert [c["customer_id"] for c in doc["customers"]] == ["C5"]
    assert doc["customers"][0]["phone"] == "138****5678"
    assert [c["customer_id"] for c in segment(ctx("H1"), tier="none")["customers"]] == ["C4"]


def test_unknown_values_and_fields_are_refused(book, ctx):
    with pytest.raises(InvalidInput):
        segment(ctx("H1"), tier="silver")
    with pytest.raises(InvalidInput):
        segment(ctx("H1"), by="tier,shoe_size")


def test_chinese_labels_are_accepted_as_filters(book, ctx):
    doc = segment(ctx("H1"), tier="鑽石卡", orientation="價值取向", occupation="企業高管")
    assert [c["customer_id"] for c in doc["customers"]] == ["C1", "C2"]
    assert [c["customer_id"] for c in segment(ctx("H1"), tier="普通客戶")["customers"]] == ["C4"]
