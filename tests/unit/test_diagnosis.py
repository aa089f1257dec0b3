"""Wealth diagnosis (§18) on plain values: categories, shares, gaps, products that fill them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from vipcli.config import DiagnosisRules
from vipcli.domain.diagnosis import (
    Candidate,
    Gap,
    category_of,
    fillers,
    gaps,
    shares,
    values_by_category,
)

TODAY = dt.date(2026, 11, 27)


def test_product_categories_map_to_the_diagnosis_categories():
    assert [category_of(c) for c in ("deposit", "wealth", "fund", "insurance",
                                     "precious_metal")] == [
        "deposit", "wealth", "fund", "insurance", "precious_metal"]
    assert category_of("基金") == "fund" and category_of("貴金屬") == "precious_metal"


def test_bonds_and_unknown_categories_count_as_other():
    assert category_of("bond") == "other" and category_of("structured_note") == "other"


def test_loans_cards_services_and_e_banking_are_not_assets():
    assert {category_of(c) for c in ("loan", "card", "service", "e_banking")} == {None}
    values = values_by_category([("deposit", 100_00), ("loan", 5_000_000_00), ("card", 1)])
    assert values["deposit"] == 100_00 and sum(values.values()) == 100_00


def test_shares_are_exact_to_four_decimals_rounded_half_up():
    got = shares({"deposit": 2, "wealth": 1, "fund": 0, "insurance": 0, "precious_metal": 0,
                  "other": 0})
    assert got["deposit"] == D("0.6667") and got["wealth"] == D("0.3333")
    assert got["fund"] == D("0")


def test_no_assets_gives_zero_shares():
    assert set(shares(dict.fromkeys(("deposit", "fund"), 0)).values()) == {D("0")}


def test_a_gap_counts_from_the_threshold_inclusive_biggest_first():
    model = DiagnosisRules().model(3).shares()  # 0.25 / 0.30 / 0.25 / 0.10 / 0.10 / 0
    current = {"deposit": D("0.7000"), "wealth": D("0.2500"), "fund": D("0.0100"),
               "insurance": D("0.0400"), "precious_metal": D("0"), "other": D("0")}
    found = gaps(current, model, D("0.05"))
    assert found == [Gap("deposit", D("-0.4500")), Gap("fund", D("0.2400")),
                     Gap("precious_metal", D("0.1000")), Gap("insurance", D("0.0600")),
                     Gap("wealth", D("0.0500"))]
    assert [g.under_weight for g in found] == [False, True, True, True, True]


def test_a_gap_below_the_threshold_is_not_a_gap():
    model = DiagnosisRules().model(1).shares()
    current = {c: s + D("0.0499") if c == "deposit" else s for c, s in model.items()}
    assert gaps(current, model, D("0.05")) == []


def test_fillers_are_suitable_launched_not_held_and_for_under_weight_categories():
    products = [
        Candidate("F_PR2", "bond fund", "fund", 2),
        Candidate("F_PR4", "equity fund", "fund", 4),
        Candidate("F_HELD", "held fund", "fund", 1),
        Candidate("F_NEW", "not yet launched", "fund", 1, dt.date(2026, 12, 1)),
        Candidate("W_PR1", "wealth", "wealth", 1),
        Candidate("D_1", "deposit", "deposit", None),
        Candidate("L_1", "loan", "loan", None),
    ]
    found = [Gap("deposit", D("-0.3")), Gap("fund", D("0.2")), Gap("wealth", D("0.1"))]
    chosen = fillers(products, found, lambda rating: rating is None or rating <= 3,
                     {"F_HELD"}, TODAY)
    assert [p.product_code for p in chosen] == ["F_PR2", "W_PR1"]
