"""`vip db upgrade|current|check`: the database schema (Alembic migrations) and its health."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT

app = typer.Typer(help="The database: its schema (Alembic migrations) and its health.",
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("upgrade")
def upgrade() -> None:
    """Bring the database to the schema this vip knows (also done automatically on first use).

    Example: vip --db /srv/vip/outlet.db db upgrade
    """
    from vipcli.cli.output import info
    from vipcli.services.core import admin

    revision = admin.upgrade_database(CURRENT.resolved_db())
    info(f"database is at schema revision {revision}")


@app.command("current")
def current(as_json: bool = json_option()) -> None:
    """Show the database's schema revision and the one this vip expects.

    Example: vip db current --json
    """
    from vipcli.cli.output import present
    from vipcli.services.core import admin

    present(admin.database_status(CURRENT.resolved_db()), as_json=as_json, render=_render)


@app.command("check")
def check(as_json: bool = json_option()) -> None:
    """Check the database for cron: integrity, foreign keys, schema revision. Exit 0 when
    healthy, 1 when a problem is found (each named). Reads only.

    Example: vip --db /srv/vip/outlet.db db check --json
    """
    from vipcli.cli.output import present
    from vipcli.services.core import db_check

    result = db_check.check_database(CURRENT.resolved_db())
    present(result, as_json=as_json, render=_render_check)
    if not result["ok"]:
        raise typer.Exit(1)


def _render_check(result: Mapping[str, Any]) -> None:
    from vipcli.cli.output import echo, info

    # One line each, however long: cron mails this, nobody reads it at 80 columns.
    if result["ok"]:
        echo(f"database {result['database']}: healthy (integrity, foreign keys, schema "
             f"{result['schema']['current']})", soft_wrap=True)
        return
    info(f"database {result['database']}: {len(result['problems'])} problem(s) found",
         soft_wrap=True)
    for problem in result["problems"]:
        echo(f"  {problem}", soft_wrap=True)


def _render(status: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info

    info(
        f"database {status['database']}: revision {status['current'] or '(empty)'}; "
        f"this vip expects {status['head']}"
        + ("" if status["current"] == status["head"] else " — run `vip db upgrade`")
    )
