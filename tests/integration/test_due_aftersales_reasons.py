"""§17 after-sales and product reasons on `due_list`, each at its boundary (the day before,
the day of, the day after; the threshold minus one fen or basis point and exactly at it),
their channel and content, at most one new product, and §5's Gold rule from tier_since."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from vipcli.db import models
from vipcli.services.contact.due import due_list

AS_OF = dt.date(2026, 11, 27)  # a Friday; no Chinese holiday within 3 days
# A meeting 15 days ago: a Diamond's next contact is due in 15 days (no cadence or quarterly
# reason), and the events below arise after it (nothing settled yet).
AT = dt.datetime(2026, 11, 12, 10, 0)
D = dt.timedelta


@pytest.fixture
def book(engine):
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", signed_tier="diamond", status="signed",
                       birth_date=dt.date(1970, 6, 15), preferred_channel="phone")
    factories.rows(engine, models.RiskAssessment, dict(
        customer_id="C1", level=3, assessed_on=dt.date(2026, 6, 1),
        valid_until=dt.date(2027, 6, 1), recorded_at=AT))
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", contacted_at=AT,
                                                channel="meeting"))
    return engine


def item(ctx, as_of=AS_OF, actor="M1", **kw) -> dict | None:
    doc = due_list(ctx(actor), as_of=as_of, **kw)
    return next((i for i in doc["items"] if i["customer_id"] == "C1"), None)


def reasons(ctx, kind: str, as_of=AS_OF) -> list[dict]:
    found = item(ctx, as_of)
    return [r for r in found["reasons"] if r["kind"] == kind] if found else []


def fund(engine, code="F1", name="基金宝", category="fund", rating=3, launched=None) -> None:
    factories.rows(engine, models.Product, dict(product_code=code, name=name, category=category,
                                                risk_rating=rating, launched_on=launched))


def hold(engine, code="F1", cost_fen=1_000_000, units: str | None = "10000") -> None:
    factories.rows(engine, models.Holding, dict(
        customer_id="C1", product_code=code, start_date=dt.date(2026, 1, 5), amount_fen=cost_fen,
        units=Decimal(units) if units is not None else None))


def prices(engine, code="F1", **by_day) -> None:
    factories.rows(engine, models.Price, *[dict(product_code=code, date=day, **values)
                                           for day, values in by_day["rows"]])


# --- cards and loans --------------------------------------------------------------------


def statement(engine, due: dt.date, amount=1_200_000, paid=0) -> None:
    factories.rows(engine, models.CardStatement, dict(
        card_no="6222021234567890123", statement_date=due - D(20), customer_id="C1",
        due_date=due, amount_due_fen=amount, min_due_fen=amount // 10, paid_fen=paid))


@pytest.mark.parametrize("as_of, raised", [
    (AS_OF - D(1), False),  # the day before the window opens (due in 4 days)
    (AS_OF, True),          # due in exactly card_repayment_lead_days
    (AS_OF + D(3), True),   # the due day itself
    (AS_OF + D(4), False),  # the day after the due day
])
def test_card_repayment_within_the_lead_days(book, ctx, as_of, raised):
    statement(book, AS_OF + D(3))
    assert bool(reasons(ctx, "card_repayment", as_of)) is raised


@pytest.mark.parametrize("paid, raised", [(1_199_999, True), (1_200_000, False)])
def test_card_repayment_paid_one_fen_short_and_in_full(book, ctx, paid, raised):
    statement(book, AS_OF + D(2), paid=paid)
    found = reasons(ctx, "card_repayment")
    assert bool(found) is raised
    if raised:
        assert "622202*********0123" in found[0]["detail"] and "0.01" in found[0]["detail"]


def test_card_repayment_channel_content_and_settled_by_a_contact(book, ctx, engine):
    statement(engine, AS_OF + D(3))
    row = item(ctx)
    assert row["suggested_channel"] == "phone"  # the customer's own channel
    assert "12,000.00" in row["suggested_content"] and "622202" in row["suggested_content"]
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", channel="sms",
                                                contacted_at=dt.datetime(2026, 11, 27, 9)))
    assert reasons(ctx, "card_repayment") == []


def loan(engine, due: dt.date | None, overdue_days=0, balance=50_000_000) -> None:
    factories.rows(engine, models.Loan, dict(
        loan_id="L1", customer_id="C1", product="个人住房贷款", principal_fen=80_000_000,
        balance_fen=balance, due_date=due, overdue_days=overdue_days,
        overdue_amount_fen=300_000 if overdue_days else 0))


@pytest.mark.parametrize("as_of, raised", [
    (AS_OF - D(1), False), (AS_OF, True), (AS_OF + D(7), True), (AS_OF + D(8), False)])
def test_loan_due_within_the_lead_days(book, ctx, as_of, raised):
    loan(book, AS_OF + D(7))
    assert bool(reasons(ctx, "loan_due", as_of)) is raised


def test_a_repaid_loan_is_not_due(book, ctx):
    loan(book, AS_OF + D(1), balance=0)
    assert reasons(ctx, "loan_due") == []


@pytest.mark.parametrize("overdue_days, raised", [(0, False), (1, True)])
def test_loan_overdue_is_a_retention_alert_on_the_branch_heads_list(book, ctx, overdue_days,
                                                                   raised):
    loan(book, AS_OF - D(overdue_days), overdue_days=overdue_days)
    row = item(ctx)
    assert (row is not None and row["priority"] == "retention") is raised
    head = due_list(ctx("H1"), as_of=AS_OF)
    assert head["outlet"]["retention_alerts"] == (1 if raised else 0)
    if raised:
        assert row["suggested_channel"] == "meeting"  # §5 as decided: retention → meeting
        assert [r["kind"] for r in row["reasons"]] == ["loan_overdue"]
        assert "C1" in [i["customer_id"] for i in head["items"]]


# --- funds and wealth products ------------------------------------------------------------


@pytest.mark.parametrize("latest, raised", [("1.0499", False), ("1.0500", True),
                                            ("0.9501", False), ("0.9500", True)])
def test_nav_move_at_the_ratio(book, ctx, latest, raised):
    fund(book)
    hold(book, units=None)
    prices(book, rows=[(AS_OF - D(7), {"nav": Decimal("1.0000")}),
                       (AS_OF, {"nav": Decimal(latest)})])
    found = reasons(ctx, "nav_move")
    assert bool(found) is raised
    if raised:
        row = item(ctx)
        assert row["suggested_channel"] == "sms"  # §17: information events by message
        assert "基金宝 F1" in row["suggested_content"]
        assert ("+5.0%" if latest > "1" else "-5.0%") in row["suggested_content"]


@pytest.mark.parametrize("base_day, raised", [(AS_OF - D(6), False), (AS_OF - D(7), True),
                                              (AS_OF - D(8), True)])
def test_nav_move_over_the_last_nav_move_days(book, ctx, base_day, raised):
    """Only a price at least nav_move_days old is a base: with a 6-day-old price alone the
    move is not measured over the window."""
    fund(book)
    hold(book, units=None)
    prices(book, rows=[(base_day, {"nav": Decimal("1.0000")}),
                       (AS_OF, {"nav": Decimal("1.1000")})])
    assert bool(reasons(ctx, "nav_move")) is raised


@pytest.mark.parametrize("cost_fen, kind", [
    (1_000_000, "stop_profit"),  # value 1,200,000 fen: exactly +20%
    (1_000_001, None),           # one fen more cost: just under +20%
])
def test_stop_profit_at_the_ratio(book, ctx, cost_fen, kind):
    fund(book)
    hold(book, cost_fen=cost_fen)
    prices(book, rows=[(AS_OF, {"nav": Decimal("1.2000")})])
    assert bool(reasons(ctx, "stop_profit")) is (kind is not None)


@pytest.mark.parametrize("cost_fen, raised", [(1_000_000, True), (999_999, False)])
def test_stop_loss_at_the_ratio(book, ctx, cost_fen, raised):
    fund(book)
    hold(book, cost_fen=cost_fen)
    prices(book, rows=[(AS_OF, {"nav": Decimal("0.9000")})])  # value 900,000 fen
    assert bool(reasons(ctx, "stop_loss")) is raised


def test_stop_profit_content_names_the_product_and_the_figure(book, ctx, chinese):
    fund(book)
    hold(book, cost_fen=1_000_000)
    prices(book, rows=[(AS_OF - D(1), {"nav": Decimal("1.1000")}),
                       (AS_OF, {"nav": Decimal("1.2340")})])
    row = item(ctx)
    assert row["suggested_content"] == "基金宝 F1 净值较成本 +23.4%，建议止盈"
    assert row["suggested_channel"] == "phone"  # after-sales: the customer's own channel
    (found,) = [r for r in row["reasons"] if r["kind"] == "stop_profit"]
    assert found["due_date"] == AS_OF.isoformat()  # the line was crossed today


def test_stop_profit_settled_until_it_crosses_again(book, ctx, engine):
    fund(book)
    hold(book, cost_fen=1_000_000)
    prices(book, rows=[(AS_OF - D(2), {"nav": Decimal("1.2500")}),
                       (AS_OF - D(1), {"nav": Decimal("1.2600")}),
                       (AS_OF, {"nav": Decimal("1.2700")})])
    assert reasons(ctx, "stop_profit")[0]["due_date"] == (AS_OF - D(2)).isoformat()
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", channel="phone",
                                                contacted_at=dt.datetime(2026, 11, 26, 9)))
    assert reasons(ctx, "stop_profit") == []


@pytest.mark.parametrize("day, raised", [(AS_OF - D(7), False), (AS_OF - D(6), True),
                                         (AS_OF, True), (AS_OF + D(1), False)])
def test_dividend_within_the_last_dividend_days(book, ctx, day, raised):
    fund(book)
    hold(book)
    prices(book, rows=[(day, {"nav": Decimal("1.0000"), "dividend": Decimal("0.0500")})])
    found = reasons(ctx, "dividend")
    assert bool(found) is raised
    if raised:
        assert item(ctx)["suggested_channel"] == "sms"


@pytest.mark.parametrize("after, raised", [("3.19", False), ("3.20", True), ("2.80", True),
                                           ("2.81", False)])
def test_yield_change_at_the_basis_points(book, ctx, after, raised):
    fund(book, code="W1", name="稳盈理财", category="wealth", rating=2)
    hold(book, code="W1", units=None)
    prices(book, code="W1", rows=[(AS_OF - D(1), {"yield_pct": Decimal("3.00")}),
                                  (AS_OF, {"yield_pct": Decimal(after)})])
    found = reasons(ctx, "yield_change")
    assert bool(found) is raised
    if raised:
        assert "稳盈理财 W1" in found[0]["detail"] and after in found[0]["detail"]


# --- new products ----------------------------------------------------------------------------


def launched(engine, code: str, day: dt.date, rating: int | None = 3, held="F1") -> None:
    fund(engine, code=code, name=f"新品{code}", rating=rating, launched=day)
    factories.rows(engine, models.CrossSellRule, dict(held=held, recommend=code, kind="cross"))


@pytest.mark.parametrize("day, raised", [(AS_OF - D(15), False), (AS_OF - D(14), True),
                                         (AS_OF, True), (AS_OF + D(1), False)])
def test_new_product_launched_within_new_product_days(book, ctx, day, raised):
    fund(book)
    hold(book)
    launched(book, "N1", day)
    found = reasons(ctx, "new_product")
    assert bool(found) is raised
    if raised:
        assert item(ctx)["suggested_channel"] == "sms"
        assert "新品N1 N1" in item(ctx)["suggested_content"]


def test_new_product_must_be_suitable(book, ctx):
    fund(book)
    hold(book)
    launched(book, "N4", AS_OF - D(1), rating=4)  # above the customer's level 3
    assert reasons(ctx, "new_product") == []


def test_new_product_matches_holdings_or_segment_and_only_one(book, ctx):
    fund(book)
    hold(book)
    launched(book, "N1", AS_OF - D(5))
    launched(book, "N2", AS_OF - D(2), held="diamond")  # the customer's segment (its tier)
    launched(book, "N3", AS_OF - D(1), held="P_OTHER")  # matches nothing it holds
    found = reasons(ctx, "new_product")
    assert len(found) == 1 and "N2" in found[0]["detail"]  # the newest matching launch


# --- the Gold one-week rule (§5) ---------------------------------------------------------------


@pytest.mark.parametrize("as_of, raised", [(AS_OF - D(1), False), (AS_OF, True)])
def test_gold_without_business_counts_from_tier_since(engine, ctx, as_of, raised):
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", signed_tier="gold", status="signed",
                       tier_since=AS_OF - D(7), birth_date=dt.date(1970, 6, 15))
    factories.rows(engine, models.Contact, dict(customer_id="C1", staff_id="M1", channel="sms",
                                                contacted_at=dt.datetime(2026, 11, 1, 9)))
    found = reasons(ctx, "gold_no_visit", as_of)
    assert bool(found) is raised
    if raised:
        assert found[0]["due_date"] == AS_OF.isoformat()
        assert "card was signed" in found[0]["detail"]


# --- thresholds from the rules file (§17: every figure is a rule) ---------------------------


def test_thresholds_come_from_the_rules_file(book, ctx, tmp_path):
    from vipcli.config import load_rules

    path = tmp_path / "rules.toml"
    path.write_text("[events]\ncard_repayment_lead_days = 5\nyield_change_bp = 10\n",
                    encoding="utf-8")
    statement(book, AS_OF + D(5))
    fund(book, code="W1", name="稳盈理财", category="wealth", rating=2)
    hold(book, code="W1", units=None)
    prices(book, code="W1", rows=[(AS_OF - D(1), {"yield_pct": Decimal("3.00")}),
                                  (AS_OF, {"yield_pct": Decimal("3.10")})])
    assert reasons(ctx, "card_repayment") == [] and reasons(ctx, "yield_change") == []
    doc = due_list(ctx("M1", rules=load_rules(path)), as_of=AS_OF)
    (row,) = doc["items"]
    assert {r["kind"] for r in row["reasons"]} == {"card_repayment", "yield_change"}
