"""Who imports, and what a branch head's import may touch (SPEC §13 "scope of imports").

A branch head's import may insert or change only rows of its own outlet, judged both on
the row already held in the database and on the file's row; the checks of each kind
(kinds.py, staff.py) ask `outside` of both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, SQLColumnExpression, select

from vipcli.errors import PermissionDenied
from vipcli.i18n import _
from vipcli.services.core.batching import in_batches
from vipcli.services.core.context import Actor

Problem = tuple[int, str, str]  # (index in the chunk, column, message)
OPERATOR_ONLY = ("branches", "products", "cross-sell", "prices")  # bank-wide lists (§13)


@dataclass
class Scope:
    """Who imports: `outlet` is the branch head's outlet (None: an operator or the bootstrap),
    `actor_id` the importer (None: the bootstrap, which has no identity)."""

    outlet: str | None
    actor_id: str | None = None
    present: frozenset[str] = frozenset()  # the file's columns: an absent one is not changed
    branch_levels: dict[str, int] = field(default_factory=dict)  # branches seen in this file
    # leads (§18): the phone's keyed hash (None: no key asked for), and the lead of each
    # (outlet, phone hash) seen in this file, so that one phone is one lead per outlet
    phone_digest: Callable[[str], bytes] | None = None
    lead_phones: dict[tuple[str, bytes], str] = field(default_factory=dict)


def scope_for(actor: Actor | None, kind: str) -> Scope:
    if actor is None:
        return Scope(None)
    if actor.role != "branch_head":
        return Scope(None, actor.staff_id)
    if kind in OPERATOR_ONLY:
        raise PermissionDenied(
            _("{actor} may not import {kind}: the bank-wide {kind} are the operator's")
            .format(actor=actor.describe(), kind=kind)
        )
    return Scope(actor.branch_id, actor.staff_id)


def outside(scope: Scope, branch_id: str | None) -> str | None:
    """Why a row of `branch_id` is not the importing branch head's (None: it is, or no limit)."""
    if scope.outlet is not None and branch_id != scope.outlet:
        return _("belongs to outlet {branch}, not yours ({outlet}); a branch head imports only "
                 "its own outlet's rows").format(branch=branch_id, outlet=scope.outlet)
    return None


def lookup(
    conn: Connection, column: SQLColumnExpression[Any], ids: set[Any], *extra: SQLColumnExpression[Any]
) -> dict[Any, Row[Any]]:
    """id → row (the id and `extra` columns) for those of `ids` present in the database."""
    found: dict[Any, Row[Any]] = {}
    wanted = sorted(i for i in ids if i is not None)
    for part in in_batches(wanted):
        for row in conn.execute(select(column, *extra).where(column.in_(part))):
            found[row[0]] = row
    return found
