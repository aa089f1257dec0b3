"""`vip db check` (§13 resilience, §15): is the database sound? For cron: exit 0 or 1.

On SQLite: PRAGMA integrity_check, PRAGMA foreign_key_check and the schema revision.
On PostgreSQL the server keeps its pages consistent and always enforces foreign keys:
only the schema revision is checked, and `integrity`/`foreign_keys` are null (not
checked; [] means checked and sound). `audit` is null until the audit log is
hash-chained: `vip audit verify` (§13) then joins this check.

The check reads only: it never creates, migrates or repairs the database.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TypedDict

from vipcli.db.engine import make_engine, resolve_url, sqlite_path, stored_revision
from vipcli.db.schema import HEAD, REVISIONS
from vipcli.errors import VipError
from vipcli.i18n import _
from vipcli.services.core.backup import integrity_problems


class ForeignKeyProblem(TypedDict):
    """A row whose parent row is missing (PRAGMA foreign_key_check)."""

    table: str
    rowid: int | None
    parent: str


class SchemaState(TypedDict):
    current: str | None
    head: str
    ok: bool


class DatabaseCheck(TypedDict):
    """`vip db check --json` (§15): `ok` false when any part found a problem."""

    ok: bool
    database: str
    integrity: list[str] | None
    foreign_keys: list[ForeignKeyProblem] | None
    schema: SchemaState
    audit: None
    problems: list[str]


def check_database(db: str) -> DatabaseCheck:
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is None:
        return _check_server(url)
    if not path.is_file():
        return _unread(str(path), None, _("the database file {path} does not exist").format(path=path))
    return _check_sqlite(path)


def _check_sqlite(path: Path) -> DatabaseCheck:
    with closing(sqlite3.connect(path)) as conn:
        integrity = integrity_problems(conn)
        if integrity:  # a damaged file: its other answers would not mean much
            return _unread(str(path), integrity,
                           *(_("integrity: {problem}").format(problem=p) for p in integrity))
        foreign = [ForeignKeyProblem(table=t, rowid=r, parent=p)
                   for t, r, p, _fkid in conn.execute("PRAGMA foreign_key_check")]
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            row = None
    problems = [_("foreign key: {table} row {rowid} names a missing {parent}").format(
                    table=f["table"], rowid=f["rowid"], parent=f["parent"]) for f in foreign]
    return _result(str(path), integrity, foreign, None if row is None else str(row[0]), problems)


def _check_server(url: str) -> DatabaseCheck:
    engine = make_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        revision = stored_revision(engine)
    except VipError as exc:  # cannot connect: that is the problem found
        return _unread(shown, None, exc.message)
    finally:
        engine.dispose()
    return _result(shown, None, None, revision, [])


def _result(database: str, integrity: list[str] | None, foreign: list[ForeignKeyProblem] | None,
            revision: str | None, problems: list[str]) -> DatabaseCheck:
    # An older known revision is sound: vip upgrades it on its next use (§14).
    schema_ok = revision in REVISIONS
    if not schema_ok:
        problems.append(_("no vip schema in this database") if revision is None else
                        _("schema revision {revision} is unknown to this vip (knows up to {head})")
                        .format(revision=revision, head=HEAD))
    return _document(database, integrity, foreign, revision, problems)


def _unread(database: str, integrity: list[str] | None, *problems: str) -> DatabaseCheck:
    """A database that could not be read far enough to check the rest."""
    return _document(database, integrity, None, None, list(problems))


def _document(database: str, integrity: list[str] | None, foreign: list[ForeignKeyProblem] | None,
              revision: str | None, problems: list[str]) -> DatabaseCheck:
    return {"ok": not problems, "database": database, "integrity": integrity,
            "foreign_keys": foreign,
            "schema": {"current": revision, "head": HEAD, "ok": revision in REVISIONS},
            "audit": None, "problems": problems}
