"""The unit of work every service receives: database, rules and the acting person.

Built once per command by the CLI; nothing connects or reads files at import time.
Light on purpose: the ORM (sqlalchemy.orm, vipcli.db.models) loads only when a service
opens a session, so `vip due`, which reads through Core, never pays for it (issue 12).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, select

from vipcli.db.engine import writing
from vipcli.db.light import STAFF_TABLE
from vipcli.errors import IdentityRequired, NotFound, PermissionDenied
from vipcli.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from vipcli.config import LoadedRules, Rules



@dataclass(frozen=True)
class Actor:
    staff_id: str
    name: str
    role: str
    branch_id: str
    active: bool = True

    def describe(self) -> str:
        """王芳 S004 (网点负责人): by name beside the id, the role by its name (§16)."""
        from vipcli.domain import labels

        return _("{person} ({role})").format(person=labels.named(self.name, self.staff_id),
                                             role=labels.role(self.role))


@dataclass
class Context:
    engine: Engine
    loaded_rules: LoadedRules
    actor_id: str | None = None
    _actor: Actor | None = field(default=None, init=False)

    @property
    def rules(self) -> Rules:
        return self.loaded_rules.rules

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """An ORM session in one transaction: committed on success, rolled back on error.
        It takes the write lock as it starts (§13, `writing`); write=False for one that
        only reads, which never waits for a writer."""
        from sqlalchemy.orm import Session

        bind = writing(self.engine) if write else self.engine
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A Core connection in one writing transaction, for set-based work."""
        with writing(self.engine).begin() as connection:
            yield connection

    def actor(self) -> Actor:
        """The acting staff member (--as / VIP_USER / config file); refused if none or unknown."""
        if self._actor is None:
            if not self.actor_id:
                raise IdentityRequired(_(
                    "this command needs to know who you are: pass --as STAFF_ID "
                    "(or set VIP_USER, or user = \"…\" in the config file)"
                ))
            self._actor = load_actor(self.engine, self.actor_id)
        return self._actor

    def optional_actor(self) -> Actor | None:
        return self.actor() if self.actor_id else None

    def close(self) -> None:
        self.engine.dispose()


def load_actor(engine: Engine, staff_id: str) -> Actor:
    staff = STAFF_TABLE.c
    with engine.connect() as conn:
        row = conn.execute(
            select(staff.staff_id, staff.name, staff.role, staff.branch_id, staff.active)
            .where(staff.staff_id == staff_id)
        ).first()
    if row is None:
        raise NotFound(_("unknown staff member {staff!r} (given as the acting identity)")
                       .format(staff=staff_id))
    if not row.active:
        raise PermissionDenied(_("staff member {staff} is inactive and may not use vip")
                               .format(staff=staff_id))
    return Actor(row.staff_id, row.name, row.role, row.branch_id, row.active)
