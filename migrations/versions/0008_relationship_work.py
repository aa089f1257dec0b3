"""the relationship work around the list (§18): the customer file, loss, leads,
appointments and joint visits, complaints, satisfaction, risk disclosure

Customers gain the fields their manager keeps (interests, a special period and its end,
notes) and what a loss needs (the day it was recorded and the status it ended, so
`vip customer reactivate` restores it). `leads` are prospects recorded by any outlet staff
member, their phone sealed like a customer's (§13: `phone_sealed`, `phone_hmac` for the
link to a customer, `phone_masked`). `appointments` with `appointment_staff` (everyone
involved in a joint visit), `complaints` with their two deadlines. Contacts gain the
customer's own `satisfaction` (1–5); opportunities the risk disclosure and, for a sale,
the product's rating and the customer's level on that day.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN on both engines: no table copy.
    for column in (
        sa.Column('interests', sa.Text(), nullable=True),
        sa.Column('special_period', sa.Text(), nullable=True),
        sa.Column('special_until', sa.Date(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('lost_on', sa.Date(), nullable=True),
        sa.Column('status_before_lost', sa.String(length=10), nullable=True),
    ):
        op.add_column('customers', column)
    op.add_column('contacts', sa.Column('satisfaction', sa.Integer(), nullable=True))
    for column in (
        sa.Column('disclosed_at', sa.DateTime(), nullable=True),
        sa.Column('sale_product_rating', sa.Integer(), nullable=True),
        sa.Column('sale_risk_level', sa.Integer(), nullable=True),
    ):
        op.add_column('opportunities', column)

    op.create_table('leads',
    sa.Column('lead_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('phone_hmac', sa.LargeBinary(length=32), nullable=True),
    sa.Column('phone_masked', sa.String(length=20), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=32), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('est_assets_fen', sa.BigInteger(), nullable=True),
    sa.Column('customer_id', sa.String(length=32), nullable=True),
    sa.Column('manager_id', sa.String(length=32), nullable=True),
    sa.Column('assigned_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.staff_id'],
                            name=op.f('fk_leads_recorded_by_staff')),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.branch_id'],
                            name=op.f('fk_leads_branch_id_branches')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.customer_id'],
                            name=op.f('fk_leads_customer_id_customers')),
    sa.ForeignKeyConstraint(['manager_id'], ['staff.staff_id'],
                            name=op.f('fk_leads_manager_id_staff')),
    sa.PrimaryKeyConstraint('lead_id', name=op.f('pk_leads'))
    )
    op.create_index('ix_leads_branch_id', 'leads', ['branch_id'], unique=False)
    op.create_index('ix_leads_phone_hmac', 'leads', ['phone_hmac'], unique=False)
    op.create_index('ix_leads_customer_id', 'leads', ['customer_id'], unique=False)
    op.create_index('ix_leads_manager_id', 'leads', ['manager_id'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.customer_id'],
                            name=op.f('fk_appointments_customer_id_customers')),
    sa.ForeignKeyConstraint(['created_by'], ['staff.staff_id'],
                            name=op.f('fk_appointments_created_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    op.create_index('ix_appointments_at', 'appointments', ['at'], unique=False)
    op.create_index('ix_appointments_customer_id', 'appointments', ['customer_id'], unique=False)
    op.create_table('appointment_staff',
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'],
                            name=op.f('fk_appointment_staff_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.staff_id'],
                            name=op.f('fk_appointment_staff_staff_id_staff')),
    sa.PrimaryKeyConstraint('appointment_id', 'staff_id', name=op.f('pk_appointment_staff'))
    )
    op.create_index('ix_appointment_staff_staff_id', 'appointment_staff', ['staff_id'],
                    unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=32), nullable=False),
    sa.Column('owner_id', sa.String(length=32), nullable=False),
    sa.Column('recorded_by', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('ack_due', sa.Date(), nullable=False),
    sa.Column('resolve_due', sa.Date(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=32), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.customer_id'],
                            name=op.f('fk_complaints_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.staff_id'],
                            name=op.f('fk_complaints_owner_id_staff')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.staff_id'],
                            name=op.f('fk_complaints_recorded_by_staff')),
    sa.ForeignKeyConstraint(['resolved_by'], ['staff.staff_id'],
                            name=op.f('fk_complaints_resolved_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints'))
    )
    op.create_index('ix_complaints_customer_id', 'complaints', ['customer_id'], unique=False)
    op.create_index('ix_complaints_owner_id_status', 'complaints', ['owner_id', 'status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_complaints_owner_id_status', table_name='complaints')
    op.drop_index('ix_complaints_customer_id', table_name='complaints')
    op.drop_table('complaints')
    op.drop_index('ix_appointment_staff_staff_id', table_name='appointment_staff')
    op.drop_table('appointment_staff')
    op.drop_index('ix_appointments_customer_id', table_name='appointments')
    op.drop_index('ix_appointments_at', table_name='appointments')
    op.drop_table('appointments')
    for name in ('ix_leads_manager_id', 'ix_leads_customer_id', 'ix_leads_phone_hmac',
                 'ix_leads_branch_id'):
        op.drop_index(name, table_name='leads')
    op.drop_table('leads')
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): none of these is indexed or a key.
    for table, names in (
        ('opportunities', ('sale_risk_level', 'sale_product_rating', 'disclosed_at')),
        ('contacts', ('satisfaction',)),
        ('customers', ('status_before_lost', 'lost_on', 'notes', 'special_until',
                       'special_period', 'interests')),
    ):
        for name in names:
            op.drop_column(table, name)
