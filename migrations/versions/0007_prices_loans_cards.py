"""prices, loans and card statements imported from the core extracts; holdings gain units (§12)

`prices` holds each product's published figures for a day (nav per unit, yield in percent,
dividend per unit; each may be absent), `loans` the customers' loans as the core system
extracts them, `card_statements` one row per card and statement date (the card number kept
as given, shown masked 6+4 everywhere). `holdings.units` is the number of units held,
optional (older extracts have none).

Indexes serve the morning list (§5): prices by (product_code, date) — the primary key —,
loans by customer, card statements by (customer_id, due_date).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('prices',
    sa.Column('product_code', sa.String(length=32), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('nav', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('yield_pct', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('dividend', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.ForeignKeyConstraint(['product_code'], ['products.product_code'],
                            name=op.f('fk_prices_product_code_products')),
    sa.PrimaryKeyConstraint('product_code', 'date', name=op.f('pk_prices')),
    sqlite_with_rowid=False
    )
    op.create_table('loans',
    sa.Column('loan_id', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.String(length=32), nullable=False),
    sa.Column('product', sa.Text(), nullable=True),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('balance_fen', sa.BigInteger(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('overdue_days', sa.Integer(), nullable=False),
    sa.Column('overdue_amount_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.customer_id'],
                            name=op.f('fk_loans_customer_id_customers')),
    sa.PrimaryKeyConstraint('loan_id', name=op.f('pk_loans'))
    )
    op.create_index(op.f('ix_loans_customer_id'), 'loans', ['customer_id'], unique=False)
    op.create_table('card_statements',
    sa.Column('card_no', sa.String(length=32), nullable=False),
    sa.Column('statement_date', sa.Date(), nullable=False),
    sa.Column('customer_id', sa.String(length=32), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount_due_fen', sa.BigInteger(), nullable=False),
    sa.Column('min_due_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.customer_id'],
                            name=op.f('fk_card_statements_customer_id_customers')),
    sa.PrimaryKeyConstraint('card_no', 'statement_date', name=op.f('pk_card_statements')),
    sqlite_with_rowid=False
    )
    op.create_index('ix_card_statements_customer_id_due_date', 'card_statements',
                    ['customer_id', 'due_date'], unique=False)
    # ADD COLUMN on both engines: no table copy.
    op.add_column('holdings', sa.Column('units', sa.Numeric(precision=18, scale=4),
                                        nullable=True))


def downgrade() -> None:
    op.drop_column('holdings', 'units')
    op.drop_index('ix_card_statements_customer_id_due_date', table_name='card_statements')
    op.drop_table('card_statements')
    op.drop_index(op.f('ix_loans_customer_id'), table_name='loans')
    op.drop_table('loans')
    op.drop_table('prices')
