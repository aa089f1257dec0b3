"""Global options (SPEC §15) and the lazily built service context of one command."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vipcli.services.core.context import Context


@dataclass
class State:
    db: str | None = None
    actor_id: str | None = None
    rules: str | None = None
    _context: Context | None = field(default=None, init=False)

    def resolved_db(self) -> str:
        from vipcli import paths

        for given, where in ((self.db, "--db"), (os.environ.get("VIP_DB"), "VIP_DB")):
            if given is not None:
                if not given.strip():  # never quietly the default database instead
                    from vipcli.errors import InvalidInput

                    raise InvalidInput(f"{where} is empty: give a database file or URL, "
                                       f"or leave {where} out for the default")
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
        """Open the database (migrating it if needed), load the rules, note the actor."""
        if self._context is None:
            from vipcli.db.engine import open_engine
            from vipcli.services.core.context import Context

            loaded = self.loaded_rules()
            timeout_ms = loaded.rules.database.busy_timeout_seconds * 1000
            engine = open_engine(self.resolved_db(), migrate=migrate, busy_timeout_ms=timeout_ms)
            self._context = Context(engine, loaded, self.resolved_actor())
        return self._context

    def close(self) -> None:
        if self._context is not None:
            self._context.close()
            self._context = None


CURRENT = State()
