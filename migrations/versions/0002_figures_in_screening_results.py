"""customers' ADB12 and screened month live in screening_results only; no key check there;
the count of months below the card in downgrade_counts

A screening no longer copies each month's ADB12 onto every customer row (issue 3: the
monthly rewrite of a million rows cost as much as the aggregate); readers take a
customer's figures from the results of the latest screening of its outlet
(vipcli.services.core.standing). The values dropped here are all still in screening_results.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:01:54.623015
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The count of months below the card moves to its own narrow table (no row: 0).
    op.create_table('downgrade_counts',
    sa.Column('customer_id', sa.String(length=32), nullable=False),
    sa.Column('months_below', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.customer_id'], name=op.f('fk_downgrade_counts_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_downgrade_counts')),
    sqlite_with_rowid=False
    )
    op.execute(
        "INSERT INTO downgrade_counts (customer_id, months_below) "
        "SELECT customer_id, months_below_signed FROM customers WHERE months_below_signed > 0"
    )
    op.drop_column('customers', 'months_below_signed')
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): no table copy, so the
    # tables that reference customers are left alone.
    op.drop_column('customers', 'adb12_fen')
    op.drop_column('customers', 'screened_month')
    op.create_index('ix_screening_runs_scope', 'screening_runs', ['scope', 'month'], unique=False)
    # The results lose their foreign key (a check per row of every monthly screening; the
    # screening alone writes them, from customers' own asset rows). SQLite rebuilds the
    # table for it, keeping it WITHOUT ROWID.
    with op.batch_alter_table('screening_results', table_kwargs={'sqlite_with_rowid': False}) as batch:
        batch.drop_constraint('fk_screening_results_customer_id_customers', type_='foreignkey')


def downgrade() -> None:
    with op.batch_alter_table('screening_results', table_kwargs={'sqlite_with_rowid': False}) as batch:
        batch.create_foreign_key('fk_screening_results_customer_id_customers', 'customers',
                                 ['customer_id'], ['customer_id'])
    op.drop_index('ix_screening_runs_scope', table_name='screening_runs')
    op.add_column('customers', sa.Column('months_below_signed', sa.Integer(), nullable=False,
                                         server_default='0'))
    op.execute(
        "UPDATE customers SET months_below_signed = (SELECT d.months_below FROM downgrade_counts d "
        "WHERE d.customer_id = customers.customer_id) "
        "WHERE customer_id IN (SELECT customer_id FROM downgrade_counts)"
    )
    op.drop_table('downgrade_counts')
    op.add_column('customers', sa.Column('screened_month', sa.String(length=7), nullable=True))
    op.add_column('customers', sa.Column('adb12_fen', sa.BigInteger(), nullable=True))
    # Refill from the latest screening that covered each customer's outlet.
    latest = (
        "(SELECT max(month) FROM screening_runs "
        "WHERE scope = 'all' OR scope = customers.branch_id)"
    )
    op.execute(
        "UPDATE customers SET "
        "adb12_fen = (SELECT r.adb12_fen FROM screening_results r "
        f"WHERE r.customer_id = customers.customer_id AND r.month = {latest}), "
        "screened_month = (SELECT r.month FROM screening_results r "
        f"WHERE r.customer_id = customers.customer_id AND r.month = {latest})"
    )
