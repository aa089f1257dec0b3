"""Alembic configured in code (no ini at run time); imported only when migrating."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine


def migrations_dir() -> Path:
    # By name: the install maps migrations/ to vipcli.migrations; the source tree has no such folder.
    try:
        packaged = import_module("vipcli.migrations")
    except ImportError:  # running from a source tree that is not installed
        packaged = None
    if packaged is not None and packaged.__file__ is not None:
        return Path(packaged.__file__).parent
    return Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def script_head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def new_revision(engine: Engine, message: str, rev_id: str) -> None:
    """Developer tool: autogenerate a migration from the models against `engine`'s schema.

    python -m vipcli.db.migrate "add x" 0002   (then add the id to vipcli/db/schema.py)
    """
    with engine.begin() as connection:
        command.revision(
            alembic_config(connection), message=message, autogenerate=True, rev_id=rev_id
        )


if __name__ == "__main__":
    import sys
    import tempfile

    from sqlalchemy import create_engine

    # A plain scratch engine: vipcli.db.engine imports this module to migrate, not the reverse.
    with tempfile.TemporaryDirectory() as tmp:
        scratch = create_engine(f"sqlite:///{tmp}/scratch.db")
        with scratch.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        new_revision(scratch, sys.argv[1], sys.argv[2])
