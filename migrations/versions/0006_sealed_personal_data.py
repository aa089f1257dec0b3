"""personal data sealed at rest: phone and ID number encrypted, an HMAC and the mask beside (§13)

customers loses `phone` and `id_number` in clear and gains, for each, `*_sealed` (AES-GCM
under the outlet's key, bound to the customer and the field), `*_hmac` (a keyed hash for
exact lookups, indexed) and `*_masked` (138****5678, what every listing shows without the
key). Alembic has no key, so the values found in clear wait in `unsealed_customer_data`
(their masks are written here, so listings and `vip due` read as before) until the first
command that has the key seals them and empties that table
(vipcli.services.core.sealing.seal_pending, audited, one line on stderr).

SQLite: secure_delete is on for this migration, so the pages the dropped columns leave
free are overwritten, not kept with the numbers in them.

Downgrade puts the waiting values back in clear; values already sealed cannot be unsealed
without the key and are lost (only their masks remain, in no column).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

STARS = "'" + "*" * 32 + "'"  # longer than any phone (20) or ID number (32)


def _mask(column: str) -> str:
    """vipcli.domain.masking's rule (first 3 and last 4 kept; 7 or fewer: all stars) in SQL
    both engines speak."""
    return (f"CASE WHEN {column} IS NULL OR {column} = '' THEN {column} "
            f"WHEN length({column}) <= 7 THEN substr({STARS}, 1, length({column})) "
            f"ELSE substr({column}, 1, 3) || substr({STARS}, 1, length({column}) - 7) "
            f"|| substr({column}, length({column}) - 3) END")


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('PRAGMA secure_delete = ON')
    op.create_table('unsealed_customer_data',
    sa.Column('customer_id', sa.String(length=32), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('id_number', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.customer_id'], ondelete='CASCADE',
                            name=op.f('fk_unsealed_customer_data_customer_id_customers')),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_unsealed_customer_data'))
    )
    for name, length in (('phone', 20), ('id_number', 32)):
        op.add_column('customers', sa.Column(f'{name}_sealed', sa.LargeBinary(), nullable=True))
        op.add_column('customers', sa.Column(f'{name}_hmac', sa.LargeBinary(length=32), nullable=True))
        op.add_column('customers', sa.Column(f'{name}_masked', sa.String(length=length), nullable=True))
    op.execute("INSERT INTO unsealed_customer_data (customer_id, phone, id_number) "
               "SELECT customer_id, NULLIF(phone, ''), NULLIF(id_number, '') FROM customers "
               "WHERE COALESCE(phone, '') <> '' OR COALESCE(id_number, '') <> ''")
    op.execute(f"UPDATE customers SET phone_masked = {_mask('phone')}, "
               f"id_number_masked = {_mask('id_number')} "
               "WHERE COALESCE(phone, '') <> '' OR COALESCE(id_number, '') <> ''")
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35, PostgreSQL): no table copy, so the
    # tables that reference customers are left alone.
    op.drop_index('ix_customers_phone', table_name='customers')
    op.drop_column('customers', 'phone')
    op.drop_column('customers', 'id_number')
    op.create_index('ix_customers_phone_hmac', 'customers', ['phone_hmac'], unique=False)
    op.create_index('ix_customers_id_number_hmac', 'customers', ['id_number_hmac'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_customers_id_number_hmac', table_name='customers')
    op.drop_index('ix_customers_phone_hmac', table_name='customers')
    op.add_column('customers', sa.Column('phone', sa.String(length=20), nullable=True))
    op.add_column('customers', sa.Column('id_number', sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE customers SET "
        "phone = (SELECT u.phone FROM unsealed_customer_data u WHERE u.customer_id = customers.customer_id), "
        "id_number = (SELECT u.id_number FROM unsealed_customer_data u "
        "WHERE u.customer_id = customers.customer_id) "
        "WHERE customer_id IN (SELECT customer_id FROM unsealed_customer_data)")
    for name in ('phone', 'id_number'):
        for suffix in ('masked', 'hmac', 'sealed'):
            op.drop_column('customers', f'{name}_{suffix}')
    op.create_index('ix_customers_phone', 'customers', ['phone'], unique=False)
    op.drop_table('unsealed_customer_data')
