"""Database status and upgrade, the audit log reader, backups."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from vipcli.db.engine import make_engine, open_engine, resolve_url, sqlite_path, stored_revision
from vipcli.db.models import AuditLog
from vipcli.db.schema import HEAD
from vipcli.errors import InvalidInput, PreconditionFailed
from vipcli.services.core.access import require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Context


def upgrade_database(db: str) -> str:
    engine = open_engine(db, migrate=True)
    try:
        return stored_revision(engine) or HEAD
    finally:
        engine.dispose()


def database_status(db: str) -> dict:
    url = resolve_url(db)
    engine = make_engine(url)
    try:
        current = stored_revision(engine)
    finally:
        engine.dispose()
    return {"database": engine.url.render_as_string(hide_password=True), "current": current, "head": HEAD}


def audit_entries(ctx: Context, *, customer: str | None, action: str | None, limit: int) -> list[dict]:
    actor = ctx.actor()
    require_role(actor, ("operator", "branch_head"), "read the audit log")
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if customer:
        query = query.where(AuditLog.customer_id == customer)
    if action:
        query = query.where(AuditLog.action == action)
    with ctx.session() as session:
        entries = session.scalars(query).all()
        audit(session, actor.staff_id, "audit_read", customer, filter_action=action, limit=limit)
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor_id": e.actor_id,
            "action": e.action,
            "customer_id": e.customer_id,
            "detail": e.detail,
        }
        for e in entries
    ]


def backup(ctx: Context, output: str) -> Path:
    """SQLite's online backup API gives a consistent copy even while others write."""
    import sqlite3

    actor = ctx.actor()
    require_role(actor, ("operator", "branch_head"), "back up the database")
    source = sqlite_path(str(ctx.engine.url))
    if source is None:
        raise PreconditionFailed(
            "vip backup copies SQLite files; back up PostgreSQL with pg_dump"
        )
    target = Path(output).expanduser().resolve()
    if target == source:
        raise InvalidInput("the backup file must differ from the database file")
    if target.exists():
        raise InvalidInput(f"{target} already exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    os.chmod(target, 0o600)
    with ctx.begin() as conn:
        audit(conn, actor.staff_id, "backup", file=str(target))
    return target
