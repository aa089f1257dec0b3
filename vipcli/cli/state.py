"""Global options (SPEC §15) and the lazily built service context of one command."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vipcli.services.core.context import Context


# The commands that put data into a database and so may make a new one (vipcli.db.engine).
CREATING_COMMANDS = frozenset({"import"})


@dataclass
class State:
    db: str | None = None
    actor_id: str | None = None
    rules: str | None = None
    command: str | None = None  # the top-level command run (`import`, `due` …)
    _context: Context | None = field(default=None, init=False)
    _created: Path | None = field(default=None, init=False)

    def explicit_db(self) -> str | None:
        """The database the user named (--db, VIP_DB, the config file), or None."""
        from vipcli import paths

        return self.db or os.environ.get("VIP_DB") or paths.local_config().get("db")

    def resolved_db(self) -> str:
        from vipcli import paths

        for given, where in ((self.db, "--db"), (os.environ.get("VIP_DB"), "VIP_DB")):
            if given is not None:
                if not given.strip():  # never quietly the default database instead
                    from vipcli.errors import InvalidInput
                    from vipcli.i18n import _

                    raise InvalidInput(_("{where} is empty: give a database file or URL, "
                                         "or leave {where} out for the default").format(where=where))
                return given
        return paths.local_config().get("db") or str(paths.default_db_path())

    def resolved_actor(self) -> str | None:
        from vipcli import paths

        return self.actor_id or os.environ.get("VIP_USER") or paths.local_config().get("user")

    def loaded_rules(self):
        from vipcli import paths
        from vipcli.config import load_rules, rules_path

        explicit = self.rules or paths.local_config().get("rules")
        return load_rules(rules_path(explicit, paths.data_dir()))

    def context(self, *, migrate: bool = True) -> Context:
        """Open the database (migrating it if needed), load the rules, note the actor.

        A new SQLite file is made only for the default database in vip's data directory
        or by a command that puts data in (CREATING_COMMANDS); any other command on a
        named path that does not exist says so and creates nothing.
        """
        if self._context is None:
            from vipcli.db.engine import open_engine, resolve_url, sqlite_path
            from vipcli.services.core.access import GuidedContext

            loaded = self.loaded_rules()
            timeout_ms = loaded.rules.database.busy_timeout_seconds * 1000
            db = self.resolved_db()
            create = self.explicit_db() is None or self.command in CREATING_COMMANDS
            path = sqlite_path(resolve_url(db))
            self._created = path if path is not None and not _exists(path) else None
            engine = open_engine(db, migrate=migrate, busy_timeout_ms=timeout_ms, create=create)
            if migrate:
                from vipcli.services.core.sealing import seal_on_open

                seal_on_open(engine, loaded)  # §13: values a migration left in plaintext, sealed
            self._context = GuidedContext(engine, loaded, self.resolved_actor())
        return self._context

    def close(self, *, failed: bool = False) -> None:
        """Close the database; a file this command created is removed again when the
        command failed and put nothing in it (a mistyped --db leaves nothing behind)."""
        if self._context is not None:
            self._context.close()
            self._context = None
        created, self._created = self._created, None
        if failed and created is not None:
            _remove_if_empty(created)


def _exists(path: Path) -> bool:
    """Whether the database file is there; a folder this account may not enter (the
    outlet server's staff group, docs/rules.md "Who you are") is refused in one line."""
    try:
        return path.exists()
    except PermissionError:
        from vipcli.errors import PermissionDenied
        from vipcli.i18n import _

        raise PermissionDenied(_("cannot open database {path}: this operating-system account "
                                 "may not read its folder (ask for the outlet's staff group)")
                               .format(path=path)) from None


def _remove_if_empty(path: Path) -> None:
    """Remove a database file (and its -wal, -shm) that holds no branch: nothing can have
    been imported into it (every customer and staff member belongs to a branch)."""
    import sqlite3

    if not path.exists():  # never made (refused), or removed meanwhile
        return
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            if conn.execute("SELECT count(*) FROM branches").fetchone()[0]:
                return
    except sqlite3.Error:  # not migrated at all: still ours, still empty
        pass
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


CURRENT = State()
