"""`vip db upgrade|current|check`: the database schema (Alembic migrations) and its health."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _, ngettext

app = typer.Typer(help=_("The database: its schema (Alembic migrations) and its health."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("upgrade", help=_(
    "Bring the database to the schema this vip knows (also done automatically on first use)."
    "\n\nExample: vip --db /srv/vip/outlet.db db upgrade"))
def upgrade() -> None:
    from vipcli.cli.output import info
    from vipcli.services.core import admin

    revision = admin.upgrade_database(CURRENT.resolved_db())
    info(_("database is at schema revision {revision}").format(revision=revision))


@app.command("current", help=_(
    "Show the database's schema revision and the one this vip expects.\n\n"
    "Example: vip db current --json"))
def current(as_json: bool = json_option()) -> None:
    from vipcli.cli.output import present
    from vipcli.services.core import admin

    present(admin.database_status(CURRENT.resolved_db()), as_json=as_json, render=_render)


@app.command("check", help=_(
    "Check the database for cron: integrity, foreign keys, schema revision and the audit "
    "log's hash chain (as vip audit verify; its latest hash is printed to write down). "
    "Exit 0 when healthy, 1 when a problem is found (each named). Reads only.\n\n"
    "Example: vip --db /srv/vip/outlet.db db check --json"))
def check(as_json: bool = json_option()) -> None:
    from vipcli.cli.output import present
    from vipcli.services.core import db_check

    result = db_check.check_database(CURRENT.resolved_db())
    present(result, as_json=as_json, render=_render_check)
    if not result["ok"]:
        raise typer.Exit(1)


def _render_check(result: Mapping[str, Any]) -> None:
    from vipcli.cli.output import echo, info

    # One line each, however long: cron mails this, nobody reads it at 80 columns.
    chain = result.get("audit")
    if result["ok"]:
        echo(_("database {database}: healthy (integrity, foreign keys, schema {revision})").format(
            database=result["database"], revision=result["schema"]["current"]), soft_wrap=True)
        if chain is not None:  # §13: the latest hash, to write down outside the database
            echo(ngettext("audit log: {count} entry, chain unbroken; latest hash {hash}",
                          "audit log: {count} entries, chain unbroken; latest hash {hash}",
                          chain["entries"]).format(count=chain["entries"], hash=chain["latest_hash"]),
                 soft_wrap=True)
        return
    count = len(result["problems"])
    info(ngettext("database {database}: {count} problem found",
                  "database {database}: {count} problems found", count)
         .format(database=result["database"], count=count), soft_wrap=True)
    for problem in result["problems"]:
        echo(f"  {problem}", soft_wrap=True)


def _render(status: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info

    shown = {"database": status["database"], "revision": status["current"] or _("(empty)"),
             "head": status["head"]}
    if status["current"] == status["head"]:
        info(_("database {database}: revision {revision}; this vip expects {head}").format(**shown))
    else:
        info(_("database {database}: revision {revision}; this vip expects {head} — run "
               "`vip db upgrade`").format(**shown))
