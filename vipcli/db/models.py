"""Typed SQLAlchemy 2 models of every entity in the spec (one metadata, one naming convention).

Money is integer fen (BigInteger, columns named *_fen); tiers are the codes
'diamond' / 'platinum' / 'gold' or NULL; months are 'YYYY-MM' strings.
The schema changes only through the Alembic migrations in migrations/.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Code = Annotated[str, mapped_column(String(32))]
Name = Annotated[str, mapped_column(String(100))]
Fen = Annotated[int, mapped_column(BigInteger)]
Month = Annotated[str, mapped_column(String(7))]
TierCode = Annotated[str | None, mapped_column(String(10))]
Serial = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Every model maps one Table (DeclarativeBase types it as the wider FromClause), so
    # `Model.__table__` goes straight into Core's insert/update/delete.
    __table__: ClassVar[Table]


def staff_fk(nullable: bool = True) -> MappedColumn[Any]:
    return mapped_column(String(32), ForeignKey("staff.staff_id"), nullable=nullable)


def customer_fk() -> MappedColumn[Any]:
    return mapped_column(String(32), ForeignKey("customers.customer_id"), nullable=False)


class Branch(Base):
    """Level 1 first-level branch, 2 second-level branch, 3 outlet (§12)."""

    __tablename__ = "branches"
    branch_id: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[Name]
    parent_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("branches.branch_id"))
    level: Mapped[int] = mapped_column(Integer)
    __table_args__ = (CheckConstraint("level IN (1, 2, 3)", name="level"),)


class Staff(Base):
    __tablename__ = "staff"
    staff_id: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[Name]
    role: Mapped[str] = mapped_column(String(20))
    branch_id: Mapped[str] = mapped_column(String(32), ForeignKey("branches.branch_id"), index=True)
    capacity: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # §13 identity modes: the operating-system account (mode `os`) or PostgreSQL role
    # (mode `database`) this member of staff acts as; one member of staff per account.
    os_user: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_staff_os_user", "os_user", unique=True),)


class Customer(Base):
    __tablename__ = "customers"
    customer_id: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[Name]
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    birthday_calendar: Mapped[str] = mapped_column(String(5), default="solar")
    # §13 personal data at rest: phone and ID number sealed with AES-GCM (`*_sealed`, bound
    # to this customer and field), a keyed HMAC beside each for exact lookups (`*_hmac`),
    # and the masked form that every listing shows without the key (`*_masked`);
    # vipcli.services.core.sealing holds the rules.
    phone_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hmac: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    id_number_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_hmac: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    id_number_masked: Mapped[str | None] = mapped_column(String(32))
    occupation: Mapped[str] = mapped_column(String(30), default="other")
    orientation: Mapped[str | None] = mapped_column(String(20))
    preferred_channel: Mapped[str | None] = mapped_column(String(10))
    branch_id: Mapped[str] = mapped_column(String(32), ForeignKey("branches.branch_id"), index=True)
    signed_tier: Mapped[TierCode]
    tier_since: Mapped[dt.date | None] = mapped_column(Date)
    manager_id: Mapped[str | None] = staff_fk()
    advisor_id: Mapped[str | None] = staff_fk()
    assigned_on: Mapped[dt.date | None] = mapped_column(Date)  # §1: first contact due from here
    source: Mapped[str | None] = mapped_column(String(20))
    # prospect | potential | signed | declined | lost (§3 lifecycle)
    status: Mapped[str] = mapped_column(String(10), default="prospect")
    status_reason: Mapped[str | None] = mapped_column(Text)
    # Latest screening's outcome for the book queries (§1); written only when it changes.
    # The ADB12 and the month screened are in screening_results (services.standing), the
    # count of months below the card in downgrade_counts.
    qualified_tier: Mapped[TierCode]
    last_diagnosis_on: Mapped[dt.date | None] = mapped_column(Date)  # §8 portfolio
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # §18 the customer file the manager keeps (imports fill these only when empty).
    interests: Mapped[str | None] = mapped_column(Text)
    special_period: Mapped[str | None] = mapped_column(Text)
    special_until: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # §18 loss: the day recorded and the status it ended (`vip customer reactivate`).
    lost_on: Mapped[dt.date | None] = mapped_column(Date)
    status_before_lost: Mapped[str | None] = mapped_column(String(10))
    __table_args__ = (
        Index("ix_customers_manager_id", "manager_id"),
        Index("ix_customers_advisor_id", "advisor_id"),
        Index("ix_customers_phone_hmac", "phone_hmac"),
        Index("ix_customers_id_number_hmac", "id_number_hmac"),
    )


class UnsealedCustomerData(Base):
    """§13: phone and ID numbers a migration found in clear (0006), waiting for the key to
    be sealed on the first open that has it; emptied then, and empty in a new database."""

    __tablename__ = "unsealed_customer_data"
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.customer_id", ondelete="CASCADE"), primary_key=True
    )
    phone: Mapped[str | None] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(String(32))


class Anniversary(Base):
    """Recorded anniversaries (§5 life-stage events), a solar date repeating yearly."""

    __tablename__ = "anniversaries"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    label: Mapped[str] = mapped_column(String(100))
    date: Mapped[dt.date] = mapped_column(Date)
    __table_args__ = (Index("ix_anniversaries_customer_id", "customer_id"),)


class MonthlyAsset(Base):
    """A customer's average daily financial assets for one month (§12)."""

    __tablename__ = "monthly_assets"
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.customer_id"), primary_key=True
    )
    month: Mapped[Month] = mapped_column(primary_key=True)
    avg_daily_fen: Mapped[Fen]
    __table_args__ = (Index("ix_monthly_assets_month", "month"), {"sqlite_with_rowid": False})


class ScreeningRun(Base):
    __tablename__ = "screening_runs"
    id: Mapped[Serial]
    month: Mapped[Month]
    scope: Mapped[str] = mapped_column(String(32))  # 'all' or an outlet's branch_id
    run_at: Mapped[dt.datetime] = mapped_column(DateTime)
    run_by: Mapped[str | None] = staff_fk()
    screened: Mapped[int] = mapped_column(Integer)
    # (scope, month): a customer's latest screening is two max() probes (services.standing)
    __table_args__ = (UniqueConstraint("month", "scope"),
                      Index("ix_screening_runs_scope", "scope", "month"))


class ScreeningResult(Base):
    """One customer's ADB12 and qualified tier for one screened month (§1)."""

    __tablename__ = "screening_results"
    month: Mapped[Month] = mapped_column(primary_key=True)
    # No foreign key: the screening alone writes these rows, from customers and their
    # (foreign-keyed) asset rows in the same transaction, and customers are never
    # deleted. A key check per row cost ≈ 0.4 s of a 1M-customer month (issue 3).
    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    adb12_fen: Mapped[Fen]  # rounded half-up to the fen
    qualified_tier: Mapped[TierCode]
    signed_tier: Mapped[TierCode]  # the signed tier when screened (before any downgrade)
    months_below: Mapped[int] = mapped_column(Integer, default=0)
    # One b-tree only (WITHOUT ROWID, no secondary index): the 1M rows of a monthly
    # screening are written in ≈0.9 s instead of ≈2.3 s; every reader goes by month (§1).
    __table_args__ = ({"sqlite_with_rowid": False},)


class DowngradeCount(Base):
    """A card holder's consecutive screened months below its card (§1), when not zero.

    Apart from the customers: it moves every month for each customer below its card, and
    this narrow table takes those writes without rewriting customer rows spread over the
    whole customers table (issue 3's figure). No row means 0; signing removes the row."""

    __tablename__ = "downgrade_counts"
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.customer_id"), primary_key=True
    )
    months_below: Mapped[int] = mapped_column(Integer)
    __table_args__ = ({"sqlite_with_rowid": False},)


class TierHistory(Base):
    __tablename__ = "tier_history"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    kind: Mapped[str] = mapped_column(String(10))  # 'qualified' | 'signed'
    month: Mapped[str | None] = mapped_column(String(7))
    from_tier: Mapped[TierCode]
    to_tier: Mapped[TierCode]
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by_staff_id: Mapped[str | None] = staff_fk()
    __table_args__ = (Index("ix_tier_history_customer_id", "customer_id", "at"),)


class AssignmentHistory(Base):
    """Every change of a customer's primary manager or advisor (§2)."""

    __tablename__ = "assignment_history"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    role: Mapped[str] = mapped_column(String(10))  # 'primary' | 'advisor'
    from_staff_id: Mapped[str | None] = staff_fk()
    to_staff_id: Mapped[str | None] = staff_fk()
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(200))
    by_staff_id: Mapped[str | None] = staff_fk()
    __table_args__ = (Index("ix_assignment_history_customer_id", "customer_id", "at"),)


class RiskAssessment(Base):
    __tablename__ = "risk_assessments"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    level: Mapped[int] = mapped_column(Integer)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str | None] = staff_fk()
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    invalidated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    invalidated_reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        Index("ix_risk_assessments_customer_id", "customer_id", "assessed_on"),
    )


class AdmissionRequest(Base):
    """Special admission (特殊準入) for a tier the customer's ADB12 does not reach (§3)."""

    __tablename__ = "admission_requests"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    tier: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = staff_fk(nullable=False)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|approved|rejected
    decided_by: Mapped[str | None] = staff_fk()
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_admission_requests_status", "status", "customer_id"),)


class RoleGrant(Base):
    """A bank-level role given by an import, waiting for a second operator (§13 maker-checker)."""

    __tablename__ = "role_grants"
    id: Mapped[Serial]
    staff_id: Mapped[str] = staff_fk(nullable=False)
    role: Mapped[str] = mapped_column(String(20))
    previous_role: Mapped[str | None] = mapped_column(String(20))  # None: a new staff row
    source: Mapped[str] = mapped_column(String(255))  # the import file's name
    requested_by: Mapped[str] = staff_fk(nullable=False)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # pending | approved | rejected | superseded (a later import asked otherwise)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by: Mapped[str | None] = staff_fk()
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_role_grants_status", "status", "staff_id"),)


class Product(Base):
    __tablename__ = "products"
    product_code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[Name]
    category: Mapped[str] = mapped_column(String(30), index=True)
    risk_rating: Mapped[int | None] = mapped_column(Integer)  # PR1..PR5 as 1..5
    series: Mapped[str | None] = mapped_column(String(50), index=True)
    level: Mapped[int | None] = mapped_column(Integer)
    launched_on: Mapped[dt.date | None] = mapped_column(Date)


class CrossSellRule(Base):
    """The matching table: held product code or category → recommended product (§8)."""

    __tablename__ = "cross_sell"
    held: Mapped[Code] = mapped_column(primary_key=True)
    recommend: Mapped[str] = mapped_column(
        String(32), ForeignKey("products.product_code"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10))


class Holding(Base):
    __tablename__ = "holdings"
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.customer_id"), primary_key=True
    )
    product_code: Mapped[str] = mapped_column(
        String(32), ForeignKey("products.product_code"), primary_key=True
    )
    start_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    amount_fen: Mapped[Fen]
    maturity_date: Mapped[dt.date | None] = mapped_column(Date)
    units: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))  # shares held (§12), optional
    __table_args__ = (Index("ix_holdings_maturity_date", "maturity_date"),)


class Price(Base):
    """A product's published figures for one day (§12): net asset value per unit (4
    decimals), annualised yield in percent, dividend per unit. Each may be absent."""

    __tablename__ = "prices"
    product_code: Mapped[str] = mapped_column(
        String(32), ForeignKey("products.product_code"), primary_key=True
    )
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    nav: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    yield_pct: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    dividend: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    __table_args__ = ({"sqlite_with_rowid": False},)


class Loan(Base):
    """A customer's loan as the core system extracts it (§12); money in fen."""

    __tablename__ = "loans"
    loan_id: Mapped[Code] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.customer_id"), nullable=False, index=True
    )
    product: Mapped[str | None] = mapped_column(Text)
    principal_fen: Mapped[Fen]
    balance_fen: Mapped[Fen]
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    overdue_days: Mapped[int] = mapped_column(Integer, default=0)
    overdue_amount_fen: Mapped[Fen] = mapped_column(default=0)


class CardStatement(Base):
    """One credit-card statement (§12). The card number is kept as the extract gives it
    and shown masked 6+4 everywhere (vipcli.domain.masking.mask_card)."""

    __tablename__ = "card_statements"
    card_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    statement_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.customer_id"), nullable=False
    )
    due_date: Mapped[dt.date] = mapped_column(Date)
    amount_due_fen: Mapped[Fen]
    min_due_fen: Mapped[Fen]
    paid_fen: Mapped[Fen] = mapped_column(default=0)
    __table_args__ = (
        Index("ix_card_statements_customer_id_due_date", "customer_id", "due_date"),
        {"sqlite_with_rowid": False},
    )


class Transaction(Base):
    __tablename__ = "transactions"
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.customer_id"), primary_key=True
    )
    txn_id: Mapped[Code] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[Fen]  # signed: + in, − out
    channel: Mapped[str] = mapped_column(String(10))
    __table_args__ = (Index("ix_transactions_customer_id_date", "customer_id", "date"),)


class LobbyVisit(Base):
    """A walk-in recognised by the lobby (§9); counts as business at the outlet."""

    __tablename__ = "lobby_visits"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    branch_id: Mapped[str] = mapped_column(String(32), ForeignKey("branches.branch_id"))
    staff_id: Mapped[str | None] = staff_fk()
    visited_at: Mapped[dt.datetime] = mapped_column(DateTime)
    routed_to: Mapped[str | None] = staff_fk()
    __table_args__ = (Index("ix_lobby_visits_customer_id", "customer_id", "visited_at"),)


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    staff_id: Mapped[str] = staff_fk(nullable=False)
    contacted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # §18: the customer's own 1–5
    __table_args__ = (
        Index("ix_contacts_customer_id_contacted_at", "customer_id", "contacted_at"),
        Index("ix_contacts_staff_id_contacted_at", "staff_id", "contacted_at"),
    )


class CommunicationReport(Base):
    """客戶溝通報告 attached to a contact (§6); next_date becomes a follow-up."""

    __tablename__ = "communication_reports"
    id: Mapped[Serial]
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), unique=True)
    key_points: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)
    next_plan: Mapped[str | None] = mapped_column(Text)
    next_date: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[str | None] = staff_fk()
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_communication_reports_reviewed_at", "reviewed_at"),)


class Opportunity(Base):
    """商機: one sales process from lead to won or lost (§7)."""

    __tablename__ = "opportunities"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    owner_id: Mapped[str] = staff_fk(nullable=False)
    product_code: Mapped[str | None] = mapped_column(String(32), ForeignKey("products.product_code"))
    stage: Mapped[str] = mapped_column(String(20), default="lead")
    expected_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    won_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    next_action: Mapped[str | None] = mapped_column(Text)
    next_date: Mapped[dt.date | None] = mapped_column(Date)
    lost_reason: Mapped[str | None] = mapped_column(Text)
    idea_kind: Mapped[str | None] = mapped_column(String(10))  # from `vip recommend --accept`
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # §18 risk disclosure: when it was recorded, and for a sale the product's rating (PR1..5
    # as 1..5) and the customer's risk level on that day.
    disclosed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sale_product_rating: Mapped[int | None] = mapped_column(Integer)
    sale_risk_level: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        Index("ix_opportunities_owner_id_stage", "owner_id", "stage"),
        Index("ix_opportunities_customer_id", "customer_id"),
    )


class OpportunityStage(Base):
    __tablename__ = "opportunity_stages"
    id: Mapped[Serial]
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by_staff_id: Mapped[str | None] = staff_fk()
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_opportunity_stages_opportunity_id", "opportunity_id", "at"),)


class Activity(Base):
    """Client activities: salon, banquet, trip, lecture, outlook (§10)."""

    __tablename__ = "activities"
    id: Mapped[Serial]
    branch_id: Mapped[str] = mapped_column(String(32), ForeignKey("branches.branch_id"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str | None] = staff_fk()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Invitation(Base):
    __tablename__ = "invitations"
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.customer_id"), primary_key=True
    )
    invited_at: Mapped[dt.datetime] = mapped_column(DateTime)
    invited_by: Mapped[str | None] = staff_fk()
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    attended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __table_args__ = (Index("ix_invitations_customer_id", "customer_id"),)


class Referral(Base):
    """Who referred whom (圈子營銷, §10)."""

    __tablename__ = "referrals"
    id: Mapped[Serial]
    referrer_id: Mapped[str] = customer_fk()
    referred_id: Mapped[str] = mapped_column(String(32), ForeignKey("customers.customer_id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (
        UniqueConstraint("referred_id"),
        Index("ix_referrals_referrer_id", "referrer_id"),
    )


class JournalEntry(Base):
    """工作日誌 (§11): morning-meeting notes, visits, sales, suggestions, memos."""

    __tablename__ = "journal_entries"
    id: Mapped[Serial]
    staff_id: Mapped[str] = staff_fk(nullable=False)
    entry_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_journal_entries_staff_id", "staff_id", "entry_date"),)


class Target(Base):
    """Weekly or monthly targets for an outlet or a manager (§7)."""

    __tablename__ = "targets"
    id: Mapped[Serial]
    branch_id: Mapped[str] = mapped_column(String(32), ForeignKey("branches.branch_id"))
    staff_id: Mapped[str | None] = staff_fk()
    period: Mapped[str] = mapped_column(String(10))  # '2026-W48' or '2026-11'
    metric: Mapped[str] = mapped_column(String(30))  # contacts|signings|opps_won|won_amount
    value: Mapped[int] = mapped_column(BigInteger)  # a count, or fen for amounts
    set_by: Mapped[str | None] = staff_fk()
    set_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("branch_id", "staff_id", "period", "metric"),)


class Lead(Base):
    """銷售線索 (§18): a walk-in or referral any outlet staff member records; a prospect that
    `vip assign` allocates, linked to a customer once its phone appears on one."""

    __tablename__ = "leads"
    lead_id: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[Name]
    phone_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hmac: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str] = staff_fk(nullable=False)
    branch_id: Mapped[str] = mapped_column(String(32), ForeignKey("branches.branch_id"))
    note: Mapped[str | None] = mapped_column(Text)
    est_assets_fen: Mapped[int | None] = mapped_column(BigInteger)
    customer_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("customers.customer_id"))
    manager_id: Mapped[str | None] = staff_fk()
    assigned_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (
        Index("ix_leads_branch_id", "branch_id"),
        Index("ix_leads_phone_hmac", "phone_hmac"),
        Index("ix_leads_customer_id", "customer_id"),
        Index("ix_leads_manager_id", "manager_id"),
    )


class Appointment(Base):
    """約訪 (§18): a visit at a time and place; `appointment_staff` names everyone involved
    (a joint visit has several)."""

    __tablename__ = "appointments"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    place: Mapped[str | None] = mapped_column(String(100))
    purpose: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = staff_fk(nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __table_args__ = (
        Index("ix_appointments_at", "at"),
        Index("ix_appointments_customer_id", "customer_id"),
    )


class AppointmentStaff(Base):
    __tablename__ = "appointment_staff"
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), primary_key=True)
    staff_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("staff.staff_id"), primary_key=True)
    __table_args__ = (Index("ix_appointment_staff_staff_id", "staff_id"),)


class Complaint(Base):
    """抱怨投訴 (§18): acknowledged by `ack_due`, resolved by `resolve_due` (rules file)."""

    __tablename__ = "complaints"
    id: Mapped[Serial]
    customer_id: Mapped[str] = customer_fk()
    owner_id: Mapped[str] = staff_fk(nullable=False)
    recorded_by: Mapped[str] = staff_fk(nullable=False)
    text: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10))  # normal | serious
    status: Mapped[str] = mapped_column(String(10))  # open | resolved
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ack_due: Mapped[dt.date] = mapped_column(Date)
    resolve_due: Mapped[dt.date] = mapped_column(Date)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = staff_fk()
    result: Mapped[str | None] = mapped_column(Text)
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    __table_args__ = (
        Index("ix_complaints_customer_id", "customer_id"),
        Index("ix_complaints_owner_id_status", "owner_id", "status"),
    )


class DbSetting(Base):
    """A database's own facts as key → text (§13: its identity mode when `vip quickstart`
    set it, the key check of its sealed personal data)."""

    __tablename__ = "db_settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditLog(Base):
    """Append-only from the CLI (§13): who did what to which customer when, as one hash
    chain (vipcli/services/core/audit.py: ids given by the writer, never reused; `at` the
    wall clock; `hash` SHA-256 over the entry and `prev_hash`)."""

    __tablename__ = "audit_log"
    id: Mapped[Serial]
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_id: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_customer_id", "customer_id"),
        {"sqlite_autoincrement": True},
    )
