"""Monthly screening on a real database (SPEC §1), SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from tests import factories
from vipcli.config import LoadedRules, Rules, ScreeningRules
from vipcli.db import models
from vipcli.domain.tiers import adb12_fen, classify, shift_month, window
from vipcli.errors import InvalidInput, PermissionDenied, PreconditionFailed, RuleViolation
from vipcli.services.core import standing
from vipcli.services.screening.screen import screen

TODAY = "2026-11-27"
MONTH = "2026-10"


def months_between(first: str, last: str) -> list[str]:
    out, month = [], first
    while month <= last:
        out.append(month)
        month = shift_month(month, 1)
    return out


def each_month(value, first="2024-01", last=MONTH) -> dict:
    return {month: value for month in months_between(first, last)}


@pytest.fixture
def org(engine, monkeypatch):
    """The standard organisation, the day pinned, and a filler customer with assets in every
    month (so no window is refused as missing unless a test removes a month)."""
    monkeypatch.setenv("VIP_TODAY", TODAY)
    factories.org(engine)
    factories.customer(engine, "FILL", name="填充")
    factories.assets(engine, "FILL", each_month("1.00"))
    return engine


def rules(n: int) -> LoadedRules:
    return LoadedRules(Rules(screening=ScreeningRules(downgrade_after_months=n)), None, frozenset())


def customer_row(engine, customer_id):
    """The customers row with the customer's standing as every reader sees it: the ADB12
    and month of the latest screening of its outlet and the count of months below the
    card (vipcli.services.core.standing)."""
    with engine.connect() as conn:
        row = conn.execute(select(models.Customer).where(models.Customer.customer_id == customer_id)).one()
        now = standing.current_standing(conn, customer_id, row.branch_id)
        below = standing.months_below(conn, customer_id)
    return SimpleNamespace(**row._mapping, adb12_fen=now.adb12_fen, screened_month=now.month,
                           months_below_signed=below)


def result_row(engine, customer_id, month=MONTH):
    with engine.connect() as conn:
        return conn.execute(
            select(models.ScreeningResult).where(models.ScreeningResult.customer_id == customer_id,
                                            models.ScreeningResult.month == month)
        ).one()


def snapshot(engine, *, skip=("audit_log",)) -> dict:
    """Every row of every table, ordered; the run timestamp left out (it records the last run)."""
    tables = {}
    with engine.connect() as conn:
        for table in models.Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            cols = [c for c in table.c if not (table.name == "screening_runs" and c.name == "run_at")]
            rows = conn.execute(select(*cols).order_by(*table.primary_key.columns)).all()
            if "audit_log" in skip and table.name == "db_settings":  # the audit chain's head
                rows = [r for r in rows if r.key != "audit_head"]   # moves with the log
            tables[table.name] = [tuple(r) for r in rows]
    return tables


@pytest.mark.parametrize(
    ("balance", "tier"),
    [
        ("99999.99", None), ("100000.00", "gold"),
        ("999999.99", "gold"), ("1000000.00", "platinum"),
        ("4999999.99", "platinum"), ("5000000.00", "diamond"),
    ],
)
def test_lower_bounds_are_inclusive(org, ctx, balance, tier):
    factories.customer(org, "C1")
    factories.assets(org, "C1", each_month(balance))
    screen(ctx("OP1"))
    row = customer_row(org, "C1")
    assert row.qualified_tier == tier
    assert row.adb12_fen == int(Decimal(balance) * 100)


def test_days_weight_the_months_february_only_balance(org, ctx):
    # 2026-02 has 28 of the window's 365 days: gold needs Feb ≥ 100,000 × 365 / 28.
    factories.customer(org, "AT", name="張三")
    factories.customer(org, "BELOW", name="李四")
    factories.assets(org, "AT", {"2026-02": "1303571.43"})  # × 28 = 100,000.0004 × 365
    factories.assets(org, "BELOW", {"2026-02": "1303571.42"})  # × 28 < 100,000 × 365
    screen(ctx("OP1"))
    assert customer_row(org, "AT").qualified_tier == "gold"
    assert customer_row(org, "BELOW").qualified_tier is None
    # rounded half-up to the fen: 130357143 × 28 / 365 = 10000000.03…
    assert customer_row(org, "AT").adb12_fen == 10000000
    # 130357142 × 28 / 365 = 9999999.93…: shown as 100,000.00 yet not Gold — the tier is
    # decided on the exact mean, never on the rounded figure.
    assert customer_row(org, "BELOW").adb12_fen == 10000000


def test_leap_february_counts_29_days_of_366(org, ctx):
    # Window ending 2024-12: Feb 2024 has 29 days of 366. Smallest gold Feb balance:
    # ceil(10,000,000 fen × 366 / 29) = 126,206,897 fen.
    factories.customer(org, "LEAP")
    factories.customer(org, "LEAP1")
    factories.assets(org, "LEAP", {"2024-02": "1262068.97"})
    factories.assets(org, "LEAP1", {"2024-02": "1262068.96"})
    screen(ctx("OP1"), "2024-12")
    assert customer_row(org, "LEAP").qualified_tier == "gold"
    assert customer_row(org, "LEAP1").qualified_tier is None
    # A year later the same balance in a 28-day February of a 365-day window is not gold.
    factories.customer(org, "NOLEAP")
    factories.assets(org, "NOLEAP", {"2025-02": "1262068.97"})
    screen(ctx("OP1"), "2025-12")
    assert customer_row(org, "NOLEAP").qualified_tier is None


def test_a_month_without_a_row_counts_as_zero(org, ctx):
    factories.customer(org, "GAP")
    balances = each_month("100000.00", first="2025-11")
    del balances["2026-03"]
    factories.assets(org, "GAP", balances)
    screen(ctx("OP1"))
    row = customer_row(org, "GAP")
    assert row.qualified_tier is None
    expected = adb12_fen({k: int(Decimal(v) * 100) for k, v in balances.items()}, MONTH)
    assert row.adb12_fen == int((expected * 2 + 1) // 2)  # 100,000 × 334/365 rounded


def test_a_missing_month_refuses_and_writes_nothing(org, ctx):
    factories.customer(org, "C1")
    factories.assets(org, "C1", each_month("200000.00"))
    with org.begin() as conn:
        conn.execute(delete(models.MonthlyAsset).where(models.MonthlyAsset.month.in_(["2026-03", "2026-05"])))
    before = snapshot(org, skip=())
    with pytest.raises(PreconditionFailed) as err:
        screen(ctx("OP1"))
    assert "2026-03, 2026-05" in err.value.message
    assert "--allow-missing-months" in err.value.message
    assert err.value.exit_code == 2
    assert snapshot(org, skip=()) == before


def test_allow_missing_months_counts_them_as_zero(org, ctx):
    factories.customer(org, "C1")
    factories.assets(org, "C1", each_month("100000.00"))
    with org.begin() as conn:
        conn.execute(delete(models.MonthlyAsset).where(models.MonthlyAsset.month == "2026-03"))
    report = screen(ctx("OP1"), allow_missing_months=True)
    assert report["missing_months"] == ["2026-03"]
    assert customer_row(org, "C1").qualified_tier is None


def test_branch_head_screens_its_own_outlet_only(org, ctx):
    factories.customer(org, "C1")
    factories.customer(org, "C2", branch_id="O002")
    factories.assets(org, "C1", each_month("200000.00"))
    factories.assets(org, "C2", {"2026-10": "9000000.00"})  # O002 alone misses 11 months
    report = screen(ctx("H1"))
    assert report["scope"] == "O001"
    assert report["screened"] == 2  # FILL and C1
    assert customer_row(org, "C2").screened_month is None
    with pytest.raises(PreconditionFailed):
        screen(ctx("H2"))  # its customers have no rows for 2025-11 … 2026-09


def test_only_operators_and_branch_heads_screen(org, ctx):
    with pytest.raises(PermissionDenied):
        screen(ctx("M1"))


def test_month_must_be_complete_and_well_formed(org, ctx):
    with pytest.raises(InvalidInput):
        screen(ctx("OP1"), "2026-11")
    with pytest.raises(InvalidInput):
        screen(ctx("OP1"), "2026-13")


def test_screening_goes_forward(org, ctx):
    screen(ctx("OP1"), MONTH)
    with pytest.raises(RuleViolation):
        screen(ctx("OP1"), "2026-09")


def test_report_and_status_of_a_first_screening(org, ctx):
    factories.customer(org, "NEW")
    factories.customer(org, "UP", signed_tier="gold", status="signed")
    factories.customer(org, "NO", status="declined")
    factories.assets(org, "NEW", each_month("150000.00"))
    factories.assets(org, "UP", each_month("1500000.00"))
    factories.assets(org, "NO", each_month("150000.00"))
    report = screen(ctx("OP1"))
    assert report["month"] == MONTH and report["window"] == ["2025-11", MONTH]
    assert report["qualified"] == {"diamond": 0, "platinum": 1, "gold": 2, "none": 1}
    assert report["newly_qualified"] == ["NEW"]  # a declined customer is not flagged again
    assert report["upgrade_candidates"] == [{"customer_id": "UP", "from": "gold", "to": "platinum"}]
    assert customer_row(org, "NEW").status == "potential"
    assert customer_row(org, "NO").status == "declined"
    assert customer_row(org, "UP").status == "signed"
    with org.connect() as conn:
        history = conn.execute(
            select(models.TierHistory.customer_id, models.TierHistory.to_tier)
            .where(models.TierHistory.kind == "qualified").order_by(models.TierHistory.customer_id)
        ).all()
        audited = conn.execute(select(models.AuditLog.action).where(models.AuditLog.action == "screen")).all()
    assert [tuple(h) for h in history] == [("NEW", "gold"), ("NO", "gold"), ("UP", "platinum")]
    assert len(audited) == 1


def signed_below(engine, customer_id="SIG"):
    """A Platinum card holder whose assets only reach Gold, month after month."""
    factories.customer(engine, customer_id, signed_tier="platinum", status="signed")
    factories.assets(engine, customer_id, each_month("200000.00"))


def test_downgrade_after_exactly_n_screened_months(org, ctx):
    signed_below(org)
    first = screen(ctx("OP1"), "2026-08")
    assert first["downgrade_warnings"] == ["SIG"] and first["downgraded"] == []
    second = screen(ctx("OP1"), "2026-09")
    assert second["downgrade_warnings"] == [] and second["downgraded"] == []
    row = customer_row(org, "SIG")
    assert (row.signed_tier, row.months_below_signed) == ("platinum", 2)
    third = screen(ctx("OP1"), "2026-10")
    assert third["downgraded"] == [{"customer_id": "SIG", "from": "platinum", "to": "gold"}]
    row = customer_row(org, "SIG")
    assert (row.signed_tier, row.months_below_signed, row.status) == ("gold", 0, "signed")
    assert str(row.tier_since) == TODAY
    with org.connect() as conn:
        downgrades = conn.execute(
            select(models.TierHistory.from_tier, models.TierHistory.to_tier, models.TierHistory.month)
            .where(models.TierHistory.kind == "signed")
        ).all()
    assert [tuple(d) for d in downgrades] == [("platinum", "gold", "2026-10")]


def test_a_warning_month_followed_by_recovery_resets_the_count(org, ctx):
    # With 2 months to a downgrade: below (2025-06), at the card (2025-07, a spike),
    # below again (2026-08, the spike has left the window) must warn, not downgrade.
    factories.customer(org, "REC", signed_tier="gold", status="signed")
    balances = each_month("50000.00")
    balances["2025-07"] = "5000000.00"
    factories.assets(org, "REC", balances)
    two = rules(2)
    assert screen(ctx("OP1", two), "2025-06")["downgrade_warnings"] == ["REC"]
    assert screen(ctx("OP1", two), "2025-07")["downgrade_warnings"] == []
    assert customer_row(org, "REC").months_below_signed == 0
    report = screen(ctx("OP1", two), "2026-08")
    assert report["downgrade_warnings"] == ["REC"] and report["downgraded"] == []
    assert customer_row(org, "REC").signed_tier == "gold"


def test_rerun_of_a_month_changes_nothing(org, ctx):
    signed_below(org)
    factories.customer(org, "NEW")
    factories.assets(org, "NEW", each_month("150000.00"))
    screen(ctx("OP1"), "2026-08")
    screen(ctx("OP1"), "2026-09")
    first = screen(ctx("OP1"), "2026-10")  # the downgrade month
    before = snapshot(org)
    again = screen(ctx("OP1"), "2026-10")
    assert snapshot(org) == before
    assert again == first
    assert result_row(org, "SIG").signed_tier == "platinum"  # the card before the downgrade


def test_rerun_of_a_warning_month_does_not_count_it_twice(org, ctx):
    signed_below(org)
    screen(ctx("OP1"), "2026-09")
    for _ in range(3):
        report = screen(ctx("OP1"), "2026-09")
    assert report["downgrade_warnings"] == ["SIG"]
    assert customer_row(org, "SIG").months_below_signed == 1
    assert customer_row(org, "SIG").signed_tier == "platinum"


def test_rerun_after_corrected_assets_withdraws_the_downgrade(org, ctx):
    signed_below(org, "SIG")
    one = rules(1)
    assert screen(ctx("OP1", one), MONTH)["downgraded"][0]["customer_id"] == "SIG"
    with org.begin() as conn:  # the month's extract is corrected and re-imported
        conn.execute(delete(models.MonthlyAsset).where(models.MonthlyAsset.customer_id == "SIG"))
    factories.assets(org, "SIG", each_month("1200000.00"))
    report = screen(ctx("OP1", one), MONTH)
    assert report["downgraded"] == []
    row = customer_row(org, "SIG")
    assert (row.signed_tier, row.qualified_tier) == ("platinum", "platinum")


def test_a_signing_restarts_the_count(org, ctx):
    signed_below(org)
    screen(ctx("OP1"), "2026-08")
    screen(ctx("OP1"), "2026-09")
    with org.begin() as conn:  # what `vip sign` does to the card and the count
        conn.execute(
            models.Customer.__table__.update().where(models.Customer.customer_id == "SIG")
            .values(signed_tier="platinum")
        )
        conn.execute(delete(models.DowngradeCount).where(models.DowngradeCount.customer_id == "SIG"))
    report = screen(ctx("OP1"), "2026-10")
    assert report["downgrade_warnings"] == ["SIG"] and report["downgraded"] == []


balances_fen = st.one_of(
    st.integers(0, 10**10),
    st.sampled_from([10**7, 10**8, 5 * 10**8]).flatmap(lambda b: st.integers(b - 400, b + 400)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.dictionaries(st.sampled_from(window(MONTH)), balances_fen, max_size=12),
                min_size=1, max_size=4))
def test_sql_adb12_and_tier_equal_the_python_rules(org, ctx, customers):
    with org.begin() as conn:
        for table in (models.TierHistory, models.ScreeningResult, models.ScreeningRun, models.AuditLog):
            conn.execute(delete(table))
        conn.execute(delete(models.MonthlyAsset).where(models.MonthlyAsset.customer_id != "FILL"))
        conn.execute(delete(models.Customer).where(models.Customer.customer_id != "FILL"))
        for i, balances in enumerate(customers):
            conn.execute(models.Customer.__table__.insert().values(
                customer_id=f"P{i}", name="測試", birthday_calendar="solar", occupation="other",
                branch_id="O001", status="prospect"))
            if balances:
                conn.execute(models.MonthlyAsset.__table__.insert(), [
                    {"customer_id": f"P{i}", "month": k, "avg_daily_fen": v} for k, v in balances.items()
                ])
    screen(ctx("OP1"))
    tiers = Rules().tiers
    with org.connect() as conn:
        rows = {
            row.customer_id: (row.adb12_fen, row.qualified_tier)
            for row in conn.execute(select(models.ScreeningResult).where(
                models.ScreeningResult.customer_id != "FILL"))
        }
    for i, balances in enumerate(customers):
        exact = adb12_fen(balances, MONTH)
        rounded = int((exact * 2 + 1) // 2)
        tier = classify(exact, tiers)
        assert rows[f"P{i}"] == (rounded, tier)


def test_customers_whose_tier_holds_get_the_new_adb12_and_no_history(org, ctx):
    """Most customers, month after month: same tier, no card — only the figures move."""
    factories.customer(org, "SAME")
    factories.customer(org, "NO", status="declined")
    factories.assets(org, "SAME", each_month("150000.00"))
    factories.assets(org, "NO", each_month("150000.00"))
    screen(ctx("OP1"), "2026-09")
    with org.begin() as conn:  # October's balance rises but stays Gold
        conn.execute(models.MonthlyAsset.__table__.update()
                     .where(models.MonthlyAsset.month == MONTH).values(avg_daily_fen=40_000_000))
    report = screen(ctx("OP1"), MONTH)
    row = customer_row(org, "SAME")
    assert (row.qualified_tier, row.status, row.screened_month) == ("gold", "potential", MONTH)
    assert row.adb12_fen == result_row(org, "SAME").adb12_fen > 15_000_000
    assert (row.signed_tier, row.months_below_signed, row.tier_since) == (None, 0, None)
    assert customer_row(org, "NO").status == "declined"
    assert report["newly_qualified"] == [] and report["qualified"]["gold"] == 2
    with org.connect() as conn:
        months = conn.execute(select(models.TierHistory.month).where(models.TierHistory.customer_id == "SAME"))
        assert months.scalars().all() == ["2026-09"]


def test_branch_screens_count_and_change_their_own_outlet_only(org, ctx):
    factories.customer(org, "A1C", branch_id="O001")
    factories.customer(org, "B1", branch_id="O002")
    factories.customer(org, "B2", branch_id="O002", signed_tier="platinum", status="signed")
    factories.assets(org, "A1C", each_month("6000000.00"))
    factories.assets(org, "B1", each_month("150000.00"))
    factories.assets(org, "B2", each_month("200000.00"))
    first = screen(ctx("H1"))
    report = screen(ctx("H2"))  # the same month, the other outlet
    assert first["screened"] == 2 and first["qualified"]["diamond"] == 1
    assert report["screened"] == 2
    assert report["qualified"] == {"diamond": 0, "platinum": 0, "gold": 2, "none": 0}
    assert report["downgrade_warnings"] == ["B2"] and report["newly_qualified"] == ["B1"]
    assert result_row(org, "A1C").qualified_tier == "diamond"  # O001's results are kept
    assert result_row(org, "B2").signed_tier == "platinum"
    assert result_row(org, "B2").months_below == 1
    assert customer_row(org, "B2").months_below_signed == 1


def test_screening_leaves_the_pooled_connection_as_it_was(org, ctx, engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with engine.connect() as conn:
        before = [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("cache_size", "temp_store")]
    screen(ctx("OP1"))
    with pytest.raises(RuleViolation):
        screen(ctx("OP1"), "2026-09")  # a refused run restores them too
    with engine.connect() as conn:
        after = [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("cache_size", "temp_store")]
    assert after == before


# Which customers a month writes (issue 3's figure: the monthly ADB12 lives in the results;
# a customer row is written only when its state moves). A trigger counts the row updates.
UPDATES_TRIGGER = {
    "sqlite": [
        "CREATE TABLE customer_updates (customer_id VARCHAR(32))",
        "CREATE TRIGGER count_customer_updates AFTER UPDATE ON customers "
        "BEGIN INSERT INTO customer_updates VALUES (new.customer_id); END",
    ],
    "postgresql": [
        "CREATE TABLE customer_updates (customer_id VARCHAR(32))",
        "CREATE FUNCTION count_customer_update() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN INSERT INTO customer_updates VALUES (NEW.customer_id); RETURN NEW; END $$",
        "CREATE TRIGGER count_customer_updates AFTER UPDATE ON customers "
        "FOR EACH ROW EXECUTE FUNCTION count_customer_update()",
    ],
}


def count_customer_updates(engine) -> None:
    with engine.begin() as conn:
        for statement in UPDATES_TRIGGER[engine.dialect.name]:
            conn.exec_driver_sql(statement)


def updated_customers(engine) -> list[str]:
    with engine.begin() as conn:
        ids = conn.exec_driver_sql("SELECT customer_id FROM customer_updates").scalars().all()
        conn.exec_driver_sql("DELETE FROM customer_updates")
    return sorted(ids)


def test_a_month_writes_only_the_customers_whose_state_moves(org, ctx):
    factories.customer(org, "SAME")  # gold month after month, no card: nothing to write
    factories.customer(org, "RISE")  # crosses into platinum in October
    factories.customer(org, "CARD", signed_tier="gold", status="signed")  # at its card: nothing moves
    # its count of months below moves — in downgrade_counts, not on the customer row
    factories.customer(org, "BELOW", signed_tier="platinum", status="signed")
    factories.assets(org, "SAME", each_month("150000.00"))
    factories.assets(org, "RISE", {**each_month("150000.00"), MONTH: "30000000.00"})
    factories.assets(org, "CARD", each_month("150000.00"))
    factories.assets(org, "BELOW", each_month("150000.00"))
    screen(ctx("OP1"), "2026-09")
    count_customer_updates(org)
    screen(ctx("OP1"), MONTH)
    assert updated_customers(org) == ["RISE"]
    assert customer_row(org, "BELOW").months_below_signed == 2
    # every customer's figures for the month are in the results all the same
    assert customer_row(org, "SAME").adb12_fen == result_row(org, "SAME").adb12_fen == 15_000_000
    assert customer_row(org, "SAME").screened_month == MONTH
    assert customer_row(org, "RISE").qualified_tier == "platinum"
    screen(ctx("OP1"), MONTH)  # a rerun changes nothing, so it writes no customer
    assert updated_customers(org) == []
    assert customer_row(org, "BELOW").months_below_signed == 2


def test_a_status_out_of_step_with_the_tier_is_moved_though_the_tier_holds(org, ctx):
    # §3: potential means qualified and not signed; an extract's stale status is corrected.
    factories.customer(org, "WAS", status="potential")  # qualifies for nothing, as before
    factories.customer(org, "IS", qualified_tier="gold", status="prospect")  # gold, as before
    factories.assets(org, "WAS", each_month("100.00"))
    factories.assets(org, "IS", each_month("150000.00"))
    screen(ctx("OP1"))
    assert customer_row(org, "WAS").status == "prospect"
    assert customer_row(org, "IS").status == "potential"


def test_the_standing_is_the_latest_screening_of_the_customers_outlet(org, ctx):
    factories.customer(org, "HERE")  # O001
    factories.customer(org, "THERE", branch_id="O002")
    factories.assets(org, "HERE", each_month("150000.00"))
    factories.assets(org, "THERE", each_month("150000.00"))
    screen(ctx("OP1"), "2026-09")
    with org.begin() as conn:
        conn.execute(models.MonthlyAsset.__table__.update()
                     .where(models.MonthlyAsset.month == MONTH).values(avg_daily_fen=40_000_000))
    screen(ctx("H1"), MONTH)  # O001's branch head screens October for O001 alone
    here, there = customer_row(org, "HERE"), customer_row(org, "THERE")
    assert (here.screened_month, here.adb12_fen) == (MONTH, result_row(org, "HERE").adb12_fen)
    assert (there.screened_month, there.adb12_fen) == ("2026-09", 15_000_000)
    factories.customer(org, "NEW")  # arrived after the screening: not screened yet
    assert (customer_row(org, "NEW").screened_month, customer_row(org, "NEW").adb12_fen) == (None, None)
