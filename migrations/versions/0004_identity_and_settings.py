"""staff.os_user and db_settings: identity bound to something real (§13)

`staff.os_user` maps a member of staff to an operating-system account (identity mode
`os`) or a PostgreSQL role (mode `database`); at most one member of staff per account.
`db_settings` holds a database's own facts (its identity mode when set by
`vip quickstart`, the key check of its sealed personal data) as key → value text.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 02:25:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff') as batch:
        batch.add_column(sa.Column('os_user', sa.String(length=64), nullable=True))
        batch.create_index('ix_staff_os_user', ['os_user'], unique=True)
    op.create_table('db_settings',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_db_settings'))
    )


def downgrade() -> None:
    op.drop_table('db_settings')
    with op.batch_alter_table('staff') as batch:
        batch.drop_index('ix_staff_os_user')
        batch.drop_column('os_user')
