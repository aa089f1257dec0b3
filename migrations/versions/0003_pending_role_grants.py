"""role_grants: bank-level roles given by an import wait for a second operator

§13 maker-checker: a staff import that would make someone an operator, an approver or a
branch head records a pending grant here; the staff row is written without the role
(a new row inactive, an existing row keeping its role) until another operator approves
it with `vip approve` (vipcli.services.core.grants).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:09:05.341386
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('role_grants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('staff_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('previous_role', sa.String(length=20), nullable=True),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('requested_by', sa.String(length=32), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by', sa.String(length=32), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['staff.staff_id'], name=op.f('fk_role_grants_decided_by_staff')),
    sa.ForeignKeyConstraint(['requested_by'], ['staff.staff_id'], name=op.f('fk_role_grants_requested_by_staff')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.staff_id'], name=op.f('fk_role_grants_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grants'))
    )
    op.create_index('ix_role_grants_status', 'role_grants', ['status', 'staff_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_role_grants_status', table_name='role_grants')
    op.drop_table('role_grants')
