"""audit chain: every audit entry hashed and chained to the one before (§13)

audit_log gains `prev_hash` and `hash` (SHA-256 hex; the canonical content is written
down in vipcli/services/core/audit.py). On SQLite the table is rebuilt AUTOINCREMENT so an
id is never given twice, even after its row is deleted. Existing entries are chained once,
in id order, keeping their ids, and the chain's head is recorded in db_settings
(`audit_head`); a line on stderr says how many.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00
"""

import sys

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

PAGE = 5000


def _rebuild_kwargs() -> dict:
    if op.get_bind().dialect.name == 'sqlite':
        return {'recreate': 'always', 'table_kwargs': {'sqlite_autoincrement': True}}
    return {}


def _chain_existing() -> int:
    from vipcli.services.core.audit import GENESIS, HEAD_KEY, entry_hash

    conn = op.get_bind()
    log = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                   sa.column('actor_id', sa.String), sa.column('action', sa.String),
                   sa.column('customer_id', sa.String), sa.column('detail', sa.Text),
                   sa.column('prev_hash', sa.String), sa.column('hash', sa.String))
    settings = sa.table('db_settings', sa.column('key', sa.String), sa.column('value', sa.Text))
    link = (sa.update(log).where(log.c.id == sa.bindparam('b_id'))
            .values(prev_hash=sa.bindparam('b_prev'), hash=sa.bindparam('b_hash')))
    count, last_id, prev, after = 0, 0, GENESIS, None
    while True:
        query = sa.select(log.c.id, log.c.at, log.c.actor_id, log.c.action, log.c.customer_id,
                          log.c.detail).order_by(log.c.id).limit(PAGE)
        if after is not None:
            query = query.where(log.c.id > after)
        page = conn.execute(query).all()
        if not page:
            break
        updates = []
        for row in page:
            digest = entry_hash(row.id, row.at, row.actor_id, row.action, row.customer_id, row.detail, prev)
            updates.append({'b_id': row.id, 'b_prev': prev, 'b_hash': digest})
            prev, last_id = digest, row.id
        conn.execute(link, updates)
        count += len(page)
        after = page[-1].id
    conn.execute(sa.delete(settings).where(settings.c.key == HEAD_KEY))
    conn.execute(sa.insert(settings).values(key=HEAD_KEY, value=f'{last_id} {prev}'))
    return count


def upgrade() -> None:
    with op.batch_alter_table('audit_log', **_rebuild_kwargs()) as batch:
        batch.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    count = _chain_existing()
    with op.batch_alter_table('audit_log', **_rebuild_kwargs()) as batch:
        batch.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
    if count:
        from vipcli.services.core.audit import chained_message

        print(chained_message(count), file=sys.stderr)


def downgrade() -> None:
    op.execute("DELETE FROM db_settings WHERE key = 'audit_head'")
    kwargs = {}
    if op.get_bind().dialect.name == 'sqlite':
        kwargs = {'recreate': 'always', 'table_kwargs': {'sqlite_autoincrement': False}}
    with op.batch_alter_table('audit_log', **kwargs) as batch:
        batch.drop_column('hash')
        batch.drop_column('prev_hash')
