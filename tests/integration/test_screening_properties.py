"""The monthly screening's SQL held to the §1 and §3 rules in Python, month after month.

`vipcli.services.screening` runs the rules as set-based SQL; `vipcli.domain.screening` and
`vipcli.domain.tiers` state them on plain values. Over several consecutive monthly
screenings (and reruns of a month on corrected extracts) of a few customers in any
starting state, the SQL must leave exactly what a pure-Python model built on the domain
rules computes: ADB12 and qualified tier, the count of consecutive months below the card
(downgrade_counts; no row means 0), the card and its date, the lifecycle status, the tier
history, and the report's status moves — newly qualified, upgrade candidates, downgrade
warnings, downgraded. Runs on SQLite, and on PostgreSQL when VIP_TEST_PG_URL is set.

Before each screening a customer's whole 12-month window is imported afresh (as a
corrected extract would be), so that any sequence of qualified tiers — below the card,
back at it, below again — can happen within a few months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from tests import factories
from vipcli.config import LoadedRules, Rules, ScreeningRules
from vipcli.db import models
from vipcli.domain.money import FEN_PER_YUAN
from vipcli.domain.screening import screen_month, status_after
from vipcli.domain.tiers import adb12_fen, classify, shift_month, window
from vipcli.domain.vocabulary import TIERS, tier_rank
from vipcli.services.screening.screen import screen

TODAY = dt.date(2026, 11, 27)
LAST = "2026-10"  # the last complete month on TODAY
TIER_RULES = Rules().tiers
CARDS = (None, *TIERS)
STATUSES = ("prospect", "potential", "signed", "declined", "lost")
CARD_SINCE = dt.date(2020, 1, 1)


@pytest.fixture
def org(engine, monkeypatch):
    """The standard organisation, the day pinned, and a filler customer with a balance in
    every month, so that no month of a window is ever refused as missing."""
    monkeypatch.setenv("VIP_TODAY", TODAY.isoformat())
    factories.org(engine)
    factories.customer(engine, "FILL", name="填充")
    factories.assets(engine, "FILL", {shift_month(LAST, -back): "1.00" for back in range(24)})
    return engine


# ---- the pure-Python model ------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A customer as a screening finds it: its row and its count of months below the card."""

    qualified: str | None
    signed: str | None
    status: str
    below: int
    tier_since: dt.date | None


def rounded_adb12(balances: dict[str, int], month: str) -> int:
    exact = adb12_fen(balances, month)
    return int((exact * 2 + 1) // 2)  # half-up to the fen (§1)


@dataclass
class Model:
    """Every customer's standing, the month's results and the tier history, by the rules."""

    downgrade_after: int
    now: dict[str, Standing]
    # the standings before the first screening of each month: a rerun starts again from them
    before_month: dict[str, dict[str, Standing]]
    results: dict[tuple[str, str], tuple]  # (month, customer) → the screening_results row
    history: list[tuple]  # (customer, kind, from, to, month)

    def screen(self, month: str, balances: dict[str, dict[str, int]]) -> dict:
        """One run of `month` (a rerun when it was screened before); the report it must give."""
        base = self.before_month.setdefault(month, dict(self.now))
        report: dict = {"newly_qualified": [], "upgrade_candidates": [],
                        "downgrade_warnings": [], "downgraded": []}
        counts = dict.fromkeys(TIERS, 0)
        for customer_id in sorted(self.now):
            before, current = base[customer_id], self.now[customer_id]
            adb12 = adb12_fen(balances[customer_id], month)
            qualified = classify(adb12, TIER_RULES)
            outcome = screen_month(before.below, qualified, before.signed, self.downgrade_after)
            signed = outcome.signed_after
            status = status_after(current.status, qualified, signed)
            self.results[month, customer_id] = (
                rounded_adb12(balances[customer_id], month), qualified, before.signed,
                outcome.months_below,
            )
            if current.qualified != qualified:
                self.history.append((customer_id, "qualified", current.qualified, qualified, month))
            if current.signed != signed:
                self.history.append((customer_id, "signed", current.signed, signed, month))
            self.now[customer_id] = Standing(
                qualified, signed, status, outcome.carried_below,
                TODAY if current.signed != signed else current.tier_since,
            )
            if qualified is not None:
                counts[qualified] += 1
            if before.qualified is None and qualified is not None and status == "potential":
                report["newly_qualified"].append(customer_id)
            if before.signed is not None and outcome.months_below == 0 and (
                tier_rank(qualified) > tier_rank(before.signed)
            ):
                report["upgrade_candidates"].append(
                    {"customer_id": customer_id, "from": before.signed, "to": qualified})
            if outcome.warning:
                report["downgrade_warnings"].append(customer_id)
            if outcome.downgraded:
                report["downgraded"].append(
                    {"customer_id": customer_id, "from": before.signed, "to": qualified})
        screened = len(self.now) + 1  # and FILL, which qualifies for nothing
        return {**report, "month": month, "window": [window(month)[0], month], "scope": "all",
                "screened": screened, "missing_months": [],
                "qualified": {**counts, "none": screened - sum(counts.values())}}


# ---- what the database holds ----------------------------------------------------------


def start(engine, customers: list[Standing]) -> None:
    """The customers P0, P1, … in their starting states, and nothing screened yet."""
    with engine.begin() as conn:
        for table in (models.TierHistory, models.ScreeningResult, models.ScreeningRun,
                      models.AuditLog, models.DowngradeCount):
            conn.execute(delete(table))
        conn.execute(delete(models.MonthlyAsset).where(models.MonthlyAsset.customer_id != "FILL"))
        conn.execute(delete(models.Customer).where(models.Customer.customer_id != "FILL"))
        for i, state in enumerate(customers):
            conn.execute(insert(models.Customer).values(
                customer_id=f"P{i}", name="測試", birthday_calendar="solar", occupation="other",
                branch_id="O001", status=state.status, qualified_tier=state.qualified,
                signed_tier=state.signed, tier_since=state.tier_since))
            if state.below:
                conn.execute(insert(models.DowngradeCount).values(
                    customer_id=f"P{i}", months_below=state.below))


def import_balances(engine, balances: dict[str, dict[str, int]]) -> None:
    with engine.begin() as conn:
        for customer_id, by_month in balances.items():
            conn.execute(delete(models.MonthlyAsset)
                         .where(models.MonthlyAsset.customer_id == customer_id))
            if by_month:
                conn.execute(insert(models.MonthlyAsset), [
                    {"customer_id": customer_id, "month": month, "avg_daily_fen": fen}
                    for month, fen in by_month.items()
                ])


def standings(engine) -> dict[str, Standing]:
    customer, count = models.Customer, models.DowngradeCount
    with engine.connect() as conn:
        rows = conn.execute(
            select(customer.customer_id, customer.qualified_tier, customer.signed_tier,
                   customer.status, count.months_below, customer.tier_since)
            .outerjoin(count, count.customer_id == customer.customer_id)
            .where(customer.customer_id != "FILL")
        ).all()
        # no row means 0: a stored count is never 0
        zeros = conn.execute(select(count.customer_id).where(count.months_below == 0)).all()
    assert zeros == []
    return {row[0]: Standing(row[1], row[2], row[3], row[4] or 0, row[5]) for row in rows}


def results(engine) -> dict[tuple[str, str], tuple]:
    result = models.ScreeningResult
    with engine.connect() as conn:
        rows = conn.execute(
            select(result.month, result.customer_id, result.adb12_fen, result.qualified_tier,
                   result.signed_tier, result.months_below)
            .where(result.customer_id != "FILL")
        ).all()
    return {(row[0], row[1]): tuple(row[2:]) for row in rows}


def tier_history(engine) -> list[tuple]:
    history = models.TierHistory
    with engine.connect() as conn:
        rows = conn.execute(select(history.customer_id, history.kind, history.from_tier,
                                   history.to_tier, history.month)).all()
    return sorted((tuple(row) for row in rows), key=repr)


# ---- the examples ---------------------------------------------------------------------


def rules(downgrade_after: int) -> LoadedRules:
    return LoadedRules(Rules(screening=ScreeningRules(downgrade_after_months=downgrade_after)),
                       None, frozenset())


BOUNDS_FEN = [int(getattr(TIER_RULES, tier) * FEN_PER_YUAN) for tier in TIERS]
# A balance held all window long is the ADB12 itself: on a bound, a fen below it, or well
# within a tier.
flat_balances = st.one_of(
    st.sampled_from(BOUNDS_FEN).flatmap(lambda bound: st.sampled_from([bound - 1, bound])),
    st.sampled_from([0, 3_000_000, 40_000_000, 300_000_000, 2_000_000_000]),
)

any_balance = st.one_of(
    st.integers(0, 10**10),
    st.sampled_from(BOUNDS_FEN).flatmap(lambda bound: st.integers(bound - 400, bound + 400)),
)


def window_balances(month: str):
    """A customer's window for `month`: one balance all along, or any months with any
    balances (missing months count as zero; no row at all is an ADB12 of 0)."""
    months = window(month)
    return st.one_of(
        flat_balances.map(lambda fen: dict.fromkeys(months, fen)),
        st.dictionaries(st.sampled_from(months), any_balance, max_size=12),
    )


@st.composite
def starting_states(draw, downgrade_after: int) -> Standing:
    """Any starting row: a card or none, any status (an extract may be out of step), a
    qualified tier from before, and for a card holder a count of months below it."""
    signed = draw(st.sampled_from(CARDS))
    below = draw(st.integers(0, downgrade_after - 1)) if signed else 0
    return Standing(draw(st.sampled_from(CARDS)), signed, draw(st.sampled_from(STATUSES)),
                    below, CARD_SINCE if signed else None)


@st.composite
def screenings(draw):
    """The rule's month count, the customers' starting states, and the runs: 1 to 4
    consecutive months ending with LAST, a later month often run again, on the same extract
    or a corrected one. (Not the first month: a rerun takes the state before the month from
    the previous month's results, and the starting states here — a qualified tier, a count
    of months below — come from no screening.)"""
    downgrade_after = draw(st.integers(1, 3))
    customers = draw(st.lists(starting_states(downgrade_after), min_size=1, max_size=4))
    ids = [f"P{i}" for i in range(len(customers))]
    count = draw(st.integers(1, 4))
    runs = []
    for index, month in enumerate(shift_month(LAST, back) for back in range(1 - count, 1)):
        balances = {customer_id: draw(window_balances(month)) for customer_id in ids}
        runs.append((month, balances))
        if index > 0 and draw(st.booleans()):  # run again
            if draw(st.booleans()):  # on a corrected extract
                balances = {customer_id: draw(window_balances(month)) for customer_id in ids}
            runs.append((month, balances))
    return downgrade_after, customers, runs


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(screenings())
def test_consecutive_screenings_follow_the_python_rules(org, ctx, example):
    downgrade_after, customers, runs = example
    start(org, customers)
    model = Model(downgrade_after, {f"P{i}": state for i, state in enumerate(customers)},
                  {}, {}, [])
    assert standings(org) == model.now
    for month, balances in runs:
        import_balances(org, balances)
        report = screen(ctx("OP1", rules(downgrade_after)), month)
        expected = model.screen(month, balances)
        assert {key: report[key] for key in expected} == expected, month
        assert standings(org) == model.now, month
    assert results(org) == model.results
    assert tier_history(org) == sorted(model.history, key=repr)


def test_the_model_counts_months_below_and_resets_on_requalifying():
    """The model itself, on one hand-made path: a Platinum card at Gold, back at Platinum,
    at Gold twice more and downgraded after three consecutive months (§1)."""
    gold, platinum = BOUNDS_FEN[2], BOUNDS_FEN[1]
    model = Model(3, {"P0": Standing(None, "platinum", "signed", 0, CARD_SINCE)}, {}, {}, [])
    months = [shift_month(LAST, back) for back in range(-4, 1)]
    seen = []
    for month, fen in zip(months, [gold, platinum, gold, gold, gold], strict=True):
        report = model.screen(month, {"P0": dict.fromkeys(window(month), fen)})
        after = model.now["P0"]
        seen.append((after.below, after.signed, report["downgrade_warnings"] == ["P0"],
                     len(report["downgraded"]) == 1))
    assert seen == [(1, "platinum", True, False), (0, "platinum", False, False),
                    (1, "platinum", True, False), (2, "platinum", False, False),
                    (0, "gold", False, True)]
    assert model.now["P0"] == Standing("gold", "gold", "signed", 0, TODAY)
