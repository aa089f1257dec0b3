"""Alembic environment: runs on the connection vip hands it (render_as_batch for SQLite)."""

from alembic import context

from vipcli.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("vip runs migrations itself: use `vip db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
