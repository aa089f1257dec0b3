"""The tables as light Core clauses, for the paths that must not load the ORM.

`vip due` runs every morning for every manager (§5); importing vipcli.db.models costs
≈ 200 ms of declarative mapping, so the morning list, the ideas it attaches (§8), the risk
assessments those read and the acting identity read through these clauses instead: only
the columns those paths read, each one a real column of vipcli.db.models with the same
kind of type (tests/unit/test_light_tables.py checks it). Everything else uses the models.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    Numeric,
    String,
    column,
    table,
)

STAFF_TABLE = table("staff", column("staff_id", String), column("name", String),
                    column("role", String), column("branch_id", String),
                    column("active", Boolean), column("os_user", String))
SETTINGS_TABLE = table("db_settings", column("key", String), column("value", String))
BRANCH_TABLE = table("branches", column("branch_id", String), column("name", String))
CUSTOMER_TABLE = table(
    "customers", column("customer_id", String), column("name", String),
    column("signed_tier", String), column("qualified_tier", String), column("status", String),
    column("assigned_on", Date), column("birth_date", Date), column("birthday_calendar", String),
    column("orientation", String), column("preferred_channel", String),
    column("manager_id", String), column("advisor_id", String), column("branch_id", String),
    column("phone_masked", String), column("last_diagnosis_on", Date),
    column("tier_since", Date), column("occupation", String),
    # §18: the special period the manager keeps, and the day a customer was marked lost.
    column("special_period", String), column("special_until", Date), column("lost_on", Date))
# §13: a customer's personal data as stored (vipcli.services.core.sealing), and the values a
# migration found in clear, waiting for the key.
SEALED_TABLE = table(
    "customers", column("customer_id", String),
    column("phone_sealed", LargeBinary), column("phone_hmac", LargeBinary),
    column("phone_masked", String), column("id_number_sealed", LargeBinary),
    column("id_number_hmac", LargeBinary), column("id_number_masked", String))
# §18: a lead's phone as stored (re-sealed by `vip key rotate`).
LEAD_PHONE_TABLE = table("leads", column("lead_id", String), column("phone_sealed", LargeBinary),
                         column("phone_hmac", LargeBinary), column("phone_masked", String))
UNSEALED_TABLE = table("unsealed_customer_data", column("customer_id", String),
                       column("phone", String), column("id_number", String))
CONTACT_TABLE = table(
    "contacts", column("id", Integer), column("customer_id", String), column("staff_id", String),
    column("contacted_at", DateTime), column("channel", String))
TXN_TABLE = table("transactions", column("customer_id", String), column("date", Date),
                  column("amount_fen", BigInteger), column("channel", String))
VISIT_TABLE = table("lobby_visits", column("customer_id", String), column("visited_at", DateTime))
ASSET_TABLE = table("monthly_assets", column("customer_id", String), column("month", String),
                    column("avg_daily_fen", BigInteger))
RISK_TABLE = table("risk_assessments", column("id", Integer), column("customer_id", String),
                   column("level", Integer),
                   column("assessed_on", Date), column("valid_until", Date),
                   column("invalidated_at", DateTime))
PRODUCT_TABLE = table("products", column("product_code", String), column("name", String),
                      column("category", String), column("risk_rating", Integer),
                      column("series", String), column("level", Integer),
                      column("launched_on", Date))
CROSS_SELL_TABLE = table("cross_sell", column("held", String), column("recommend", String),
                         column("kind", String))
HOLDING_TABLE = table("holdings", column("customer_id", String), column("product_code", String),
                      column("amount_fen", BigInteger), column("maturity_date", Date),
                      column("units", Numeric(18, 4)))
# §17: the prices, loans and cards extracts (issue 15), for the after-sales reasons.
PRICE_TABLE = table("prices", column("product_code", String), column("date", Date),
                    column("nav", Numeric(18, 4)), column("yield_pct", Numeric(8, 2)),
                    column("dividend", Numeric(18, 4)))
LOAN_TABLE = table("loans", column("loan_id", String), column("customer_id", String),
                   column("product", String), column("balance_fen", BigInteger),
                   column("due_date", Date), column("overdue_days", Integer),
                   column("overdue_amount_fen", BigInteger))
CARD_STATEMENT_TABLE = table(
    "card_statements", column("card_no", String), column("statement_date", Date),
    column("customer_id", String), column("due_date", Date), column("amount_due_fen", BigInteger),
    column("min_due_fen", BigInteger), column("paid_fen", BigInteger))
ANNIVERSARY_TABLE = table("anniversaries", column("customer_id", String), column("label", String),
                          column("date", Date))
OPP_TABLE = table("opportunities", column("id", Integer), column("customer_id", String),
                  column("stage", String), column("next_date", Date), column("next_action", String))
REPORT_TABLE = table("communication_reports", column("id", Integer), column("contact_id", Integer),
                     column("next_date", Date), column("next_plan", String),
                     column("follow_up_done_at", DateTime), column("reviewed_at", DateTime))
ACTIVITY_TABLE = table("activities", column("id", Integer), column("title", String),
                       column("held_on", Date))
INVITATION_TABLE = table("invitations", column("activity_id", Integer),
                         column("customer_id", String), column("attended", Boolean))
REFERRAL_TABLE = table("referrals", column("referrer_id", String))
DOWNGRADE_TABLE = table("downgrade_counts", column("customer_id", String),
                        column("months_below", Integer))
RUN_TABLE = table("screening_runs", column("month", String), column("scope", String))
# §18: the latest screened ADB12 (loss risk), appointments with everyone involved, complaints.
RESULT_TABLE = table("screening_results", column("month", String), column("customer_id", String),
                     column("adb12_fen", BigInteger))
APPOINTMENT_TABLE = table(
    "appointments", column("id", Integer), column("customer_id", String),
    column("at", DateTime), column("place", String), column("purpose", String),
    column("created_by", String), column("created_at", DateTime), column("cancelled_at", DateTime))
APPOINTMENT_STAFF_TABLE = table("appointment_staff", column("appointment_id", Integer),
                                column("staff_id", String))
COMPLAINT_TABLE = table(
    "complaints", column("id", Integer), column("customer_id", String),
    column("owner_id", String), column("severity", String), column("status", String),
    column("ack_due", Date), column("resolve_due", Date), column("acknowledged_at", DateTime))
