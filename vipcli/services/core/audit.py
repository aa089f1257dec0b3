"""The audit-log writer every feature calls (SPEC §13): append-only, who did what to whom."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import AuditLog


def audit(
    db: Connection | Session,
    actor_id: str | None,
    action: str,
    customer_id: str | None = None,
    **detail: object,
) -> None:
    """Record one action; `detail` is stored as JSON (never personal data in clear)."""
    db.execute(
        insert(AuditLog).values(
            at=clock.now(),
            actor_id=actor_id,
            action=action,
            customer_id=customer_id,
            detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        )
    )


def audit_many(
    db: Connection | Session,
    actor_id: str | None,
    action: str,
    customer_ids: Iterable[str],
    **detail: object,
) -> None:
    """One row per customer for a bulk action (an export, an assignment run)."""
    at = clock.now()
    text = json.dumps(detail, ensure_ascii=False, default=str) if detail else None
    rows = [
        {"at": at, "actor_id": actor_id, "action": action, "customer_id": cid, "detail": text}
        for cid in customer_ids
    ]
    if rows:
        db.execute(insert(AuditLog), rows)
