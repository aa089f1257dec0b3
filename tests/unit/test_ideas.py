"""Idea generation (§8) on plain values: repeat, cross, up, portfolio, circle and ranking."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from vipcli.domain.ideas import (
    Catalogue,
    CustomerFacts,
    Held,
    IdeaRules,
    MatchRow,
    ProductInfo,
    product_ideas,
    prompt_ideas,
    rank_ideas,
)
from vipcli.domain.suitability import Assessment

TODAY = dt.date(2026, 11, 27)
RULES = IdeaRules(maturity_lead_days=7, diagnosis_interval_days=180, circle_min_referrals=2)
PRODUCTS = [
    ProductInfo("D1", "活期存款", "deposit", None, "deposit", 1),
    ProductInfo("D2", "定期存款", "deposit", None, "deposit", 2),
    ProductInfo("D3", "大額存單", "deposit", None, "deposit", 3),
    ProductInfo("F2", "基金寶", "fund", 3, "fund", 2),
    ProductInfo("F1", "貨幣基金", "fund", 1, "fund", 1),
    ProductInfo("F3", "股票基金", "fund", 4, "fund", 3),
    ProductInfo("E1", "網上銀行", "e_banking", None, "e_banking", 1),
    ProductInfo("C1", "普通貸記卡", "card", None, "credit_card", 1),
    ProductInfo("C2", "金卡貸記卡", "card", None, "credit_card", 2),
    ProductInfo("W5", "理財(激進)", "wealth", 5, "wealth", 5),
]
MATCHES = [
    MatchRow("F2", "E1", "cross"),
    MatchRow("E1", "F2", "cross"),
    MatchRow("fund", "W5", "repeat"),
    MatchRow("deposit", "E1", "cross"),
]


def catalogue() -> Catalogue:
    return Catalogue({p.code: p for p in PRODUCTS}, MATCHES)


def facts(*held: Held, **kw) -> CustomerFacts:
    return CustomerFacts("C", kw.pop("orientation", "relationship"), kw.pop("last", None), held, **kw)


def by_code(ideas):
    return {i.product_code: i for i in ideas}


def test_cross_idea_from_the_matching_table_names_the_held_product():
    ideas = by_code(product_ideas(facts(Held("F2", None)), catalogue(), TODAY, RULES))
    assert ideas["E1"].kind == "cross"
    assert ideas["E1"].reason == "holds 基金寶 F2; matching table suggests 網上銀行 E1"


def test_cross_idea_by_held_category():
    ideas = by_code(product_ideas(facts(Held("D1", None)), catalogue(), TODAY, RULES))
    assert ideas["E1"].kind == "cross"
    assert "(category Deposits)" in ideas["E1"].reason  # the label, not the code


def test_up_idea_is_the_next_level_of_the_series():
    ideas = by_code(product_ideas(facts(Held("C1", None)), catalogue(), TODAY, RULES))
    assert ideas["C2"].kind == "up"
    assert ideas["C2"].reason == "holds 普通貸記卡 C1, level 1 of its series; next level: 金卡貸記卡 C2"


def test_repeat_idea_same_series_and_matching_row():
    ideas = by_code(product_ideas(facts(Held("F2", None)), catalogue(), TODAY, RULES))
    assert ideas["W5"].kind == "repeat"  # matching table row keyed by the category 'fund'
    assert ideas["F3"].kind == "up"


def test_maturing_product_repeat_ideas_come_first_and_say_so():
    held = (Held("F2", None), Held("D2", TODAY + dt.timedelta(days=7)))
    ideas = product_ideas(facts(*held), catalogue(), TODAY, RULES)
    assert ideas[0].kind == "repeat"
    assert "holds 定期存款 D2 maturing on 2026-12-04" in ideas[0].reason
    assert {ideas[0].product_code, ideas[1].product_code} == {"D2", "D3"}


def test_product_maturing_after_the_lead_days_is_not_maturing():
    held = (Held("D2", TODAY + dt.timedelta(days=8)),)
    ideas = by_code(product_ideas(facts(*held), catalogue(), TODAY, RULES))
    assert "D2" not in ideas  # no renewal idea before the lead window
    assert ideas["D3"].kind == "up"


def test_matured_holding_is_no_longer_held():
    held = (Held("C1", TODAY - dt.timedelta(days=1)),)
    assert product_ideas(facts(*held), catalogue(), TODAY, RULES) == []


def test_held_products_are_not_suggested_as_cross():
    ideas = by_code(product_ideas(facts(Held("F2", None), Held("E1", None)), catalogue(), TODAY, RULES))
    assert "E1" not in ideas and "F2" not in ideas


def test_portfolio_prompt_for_value_orientation_without_diagnosis():
    (idea,) = prompt_ideas(facts(orientation="value"), TODAY, RULES)
    assert idea.kind == "portfolio" and idea.product_code is None
    assert "no wealth diagnosis on record" in idea.reason


def test_portfolio_prompt_only_after_the_interval():
    on_interval = facts(orientation="value", last=TODAY - dt.timedelta(days=180))
    past = facts(orientation="value", last=TODAY - dt.timedelta(days=181))
    assert prompt_ideas(on_interval, TODAY, RULES) == []
    assert "2026-05-30" in prompt_ideas(past, TODAY, RULES)[0].reason


def test_no_portfolio_prompt_for_other_orientations():
    assert prompt_ideas(facts(orientation="service"), TODAY, RULES) == []


def test_circle_ask_for_an_activity_attendee():
    (idea,) = prompt_ideas(facts(activities_attended=1), TODAY, RULES)
    assert idea.kind == "circle" and "attended 1 client activities" in idea.reason


def test_circle_ask_needs_the_minimum_referrals():
    assert prompt_ideas(facts(referrals=1), TODAY, RULES) == []
    assert prompt_ideas(facts(referrals=2), TODAY, RULES)[0].kind == "circle"


def test_rank_moves_unsuitable_products_to_blocked():
    level3 = [Assessment(3, dt.date(2026, 6, 1), dt.date(2027, 6, 1))]
    ideas, blocked = rank_ideas(facts(Held("F2", None)), catalogue(), level3, TODAY, RULES)
    assert "E1" in by_code(ideas)
    reasons = {i.product_code: why for i, why in blocked}
    assert reasons == {"F3": "PR4 exceeds assessed level 3 Balanced",
                       "W5": "PR5 exceeds assessed level 3 Balanced"}


def test_rank_without_assessment_keeps_only_unrated_products_and_prompts():
    ideas, blocked = rank_ideas(facts(Held("F2", None), orientation="value"), catalogue(), [], TODAY, RULES)
    assert [i.product_code for i in ideas] == ["E1", None]
    assert all(why == "no risk assessment on file" for _, why in blocked)
    assert ideas[-1].kind == "portfolio"


CODES = [p.code for p in PRODUCTS]


@given(
    held=st.lists(st.tuples(st.sampled_from(CODES), st.integers(-10, 30)), max_size=6),
    level=st.one_of(st.none(), st.integers(1, 5)),
)
def test_ideas_are_unique_suitable_and_never_cross_or_up_to_held(held, level):
    holdings = tuple(Held(code, TODAY + dt.timedelta(days=d)) for code, d in held)
    live = {h.product_code for h in holdings if h.maturity_date >= TODAY}
    assessments = [] if level is None else [Assessment(level, dt.date(2026, 6, 1), dt.date(2027, 6, 1))]
    ideas, blocked = rank_ideas(facts(*holdings), catalogue(), assessments, TODAY, RULES)
    codes = [i.product_code for i in ideas if i.product_code] + [i.product_code for i, _ in blocked]
    assert len(codes) == len(set(codes))
    for idea in ideas:
        if idea.kind in ("cross", "up"):
            assert idea.product_code not in live
        if idea.risk_rating is not None:
            assert level is not None and idea.risk_rating <= level
    for idea, _ in blocked:
        assert idea.risk_rating is not None and (level is None or idea.risk_rating > level)
