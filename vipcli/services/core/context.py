"""The unit of work every service receives: database, rules and the acting person.

Built once per command by the CLI; nothing connects or reads files at import time.
Light on purpose: the ORM (sqlalchemy.orm, vipcli.db.models) loads only when a service
opens a session, so `vip due`, which reads through Core, never pays for it (issue 12).

Who acts (§13 identity modes, docs/rules.md "Who you are"):
- `declared`: the staff member named by --as / VIP_USER / the config file;
- `os`: the staff member whose os_user is the operating-system account this process runs
  as (the effective uid's name in the password database: no environment variable changes
  it, unlike getpass.getuser(), which believes USER and LOGNAME);
- `database` (PostgreSQL): the staff member whose os_user is the session's database user.
In the bound modes --as may be left out (the mapped staff member acts) or must name that
same staff member; naming anyone else is refused before anything is read or written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Row, select, text
from sqlalchemy.exc import DBAPIError

from vipcli.db.engine import writing
from vipcli.db.light import SETTINGS_TABLE, STAFF_TABLE
from vipcli.errors import ConfigError, IdentityRequired, NotFound, PermissionDenied
from vipcli.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from vipcli.config import LoadedRules, Rules

# §13: the modes from the loosest to the most strongly bound.
IDENTITY_STRENGTH = {"declared": 0, "os": 1, "database": 2}
IDENTITY_SETTING = "identity_mode"  # db_settings key: `vip quickstart` writes "declared"


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
    actor_id: str | None = None  # the declared identity (--as, VIP_USER, the config file)
    # A mode imposed by the caller, consulting neither rules nor database: only the
    # quickstart builder, acting as the demo's staff on the demo it has just made.
    identity: str | None = None
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
        """The acting staff member under the identity mode (§13); refused if none, unknown,
        or not the one the operating system or the database says is here."""
        if self._actor is None:
            self._actor = load_actor(self.engine, self.actor_id, configured=self.rules.identity,
                                     forced=self.identity)
        return self._actor

    def optional_actor(self) -> Actor | None:
        return self.actor() if self.actor_id else None

    def close(self) -> None:
        self.engine.dispose()


def load_actor(engine: Engine, staff_id: str | None, *, configured: str | None = None,
               forced: str | None = None) -> Actor:
    """The acting staff member: `staff_id` is the declared one (None: not given),
    `configured` the rules file's mode, `forced` a mode that overrides both."""
    with engine.connect() as conn:
        mode = forced or identity_mode(conn, configured)
        if mode == "declared":
            if not staff_id:
                raise IdentityRequired(_(
                    "this command needs to know who you are: pass --as STAFF_ID "
                    "(or set VIP_USER, or user = \"…\" in the config file)"
                ))
            row = _staff_row(conn, STAFF_TABLE.c.staff_id == staff_id)
            if row is None:
                raise NotFound(_("unknown staff member {staff!r} (given as the acting identity)")
                               .format(staff=staff_id))
        else:
            row = _bound_row(conn, mode, staff_id)
    if not row.active:
        raise PermissionDenied(_("staff member {staff} is inactive and may not use vip")
                               .format(staff=row.staff_id))
    return Actor(row.staff_id, row.name, row.role, row.branch_id, row.active)


def identity_mode(conn: Connection, configured: str | None) -> str:
    """The mode in force: the rules file's, unless the database binds identity more
    strongly — any user may name a rules file (--rules, VIP_RULES), so one cannot loosen
    what the database asks for."""
    try:
        stored = stored_identity(conn)
    except DBAPIError:  # older than its identity columns, opened without upgrading (vip backup)
        conn.rollback()
        stored = "declared"
    if configured is None or configured == stored:
        return stored
    if IDENTITY_STRENGTH[configured] < IDENTITY_STRENGTH.get(stored, 0):
        raise ConfigError(_(
            "the rules file says identity = \"{configured}\", but this database binds who you "
            "are in mode \"{stored}\"; a rules file may not loosen it (§13)"
        ).format(configured=configured, stored=stored))
    return configured


def stored_identity(conn: Connection) -> str:
    """The mode the database asks for: its db_settings entry (a `vip quickstart` demo says
    `declared`), else `os` once any member of staff has an os_user, else `declared` (§13)."""
    settings = SETTINGS_TABLE.c
    stored = conn.execute(
        select(settings.value).where(settings.key == IDENTITY_SETTING)).scalar()
    if stored in IDENTITY_STRENGTH:
        return str(stored)
    staff = STAFF_TABLE.c
    bound = conn.execute(select(staff.staff_id).where(staff.os_user.is_not(None)).limit(1)).first()
    return "os" if bound is not None else "declared"


def os_account() -> str:
    """The operating-system account this process runs as: the effective uid's name in the
    password database. getpass.getuser() is not used: it believes USER and LOGNAME."""
    try:
        import pwd
    except ImportError:  # not a POSIX system: there is no account to bind to
        raise ConfigError(_("identity = \"os\" needs a Unix-like system (no password database "
                            "here); use identity = \"declared\"")) from None
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a uid without a name (a bare container): nobody to map it to
        raise PermissionDenied(_("this process runs as uid {uid}, which has no account name; "
                                 "identity = \"os\" cannot tell who you are").format(
            uid=os.geteuid())) from None


def database_user(conn: Connection) -> str:
    """The database session's user: on PostgreSQL the role that logged in (§13)."""
    if conn.dialect.name != "postgresql":
        raise ConfigError(_(
            "identity = \"database\" takes who you are from the PostgreSQL session user; this "
            "database is {engine}: use identity = \"os\" (or \"declared\" on a single-user laptop)"
        ).format(engine={"sqlite": "SQLite"}.get(conn.dialect.name, conn.dialect.name)))
    return str(conn.execute(text("SELECT session_user")).scalar_one())


def _bound_row(conn: Connection, mode: str, declared: str | None) -> Row[Any, Any, Any, Any, Any]:
    """The staff member mapped to this process's account (mode os) or database user
    (mode database); the declared identity, if given, must be that same one."""
    account = os_account() if mode == "os" else database_user(conn)
    row = _staff_row(conn, STAFF_TABLE.c.os_user == account)
    if row is None:
        message = (_("the operating-system account {account} is not mapped to any member of "
                     "staff: the operator sets it in the staff file's os_user column")
                   if mode == "os" else
                   _("the database user {account} is not mapped to any member of staff: the "
                     "operator sets it in the staff file's os_user column"))
        raise NotFound(message.format(account=account))
    if declared and declared != row.staff_id:
        from vipcli.domain import labels

        message = (_("the operating-system account {account} is staff member {staff}; it may "
                     "not act as {declared}") if mode == "os" else
                   _("the database user {account} is staff member {staff}; it may not act as "
                     "{declared}"))
        raise PermissionDenied(message.format(
            account=account, staff=labels.named(row.name, row.staff_id), declared=declared))
    return row


def _staff_row(conn: Connection, where: Any) -> Row[Any, Any, Any, Any, Any] | None:
    staff = STAFF_TABLE.c
    return conn.execute(
        select(staff.staff_id, staff.name, staff.role, staff.branch_id, staff.active).where(where)
    ).first()
