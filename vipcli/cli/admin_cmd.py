"""Administration: `vip db`, `vip config`, `vip audit`, `vip backup`."""

from __future__ import annotations

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT

db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True, rich_markup_mode=None)
config_app = typer.Typer(help="The rules file and configuration.", no_args_is_help=True, rich_markup_mode=None)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the schema this vip knows (also done automatically on first use).

    Example: vip --db /srv/vip/outlet.db db upgrade
    """
    from vipcli.cli.output import info
    from vipcli.services.core import admin

    revision = admin.upgrade_database(CURRENT.resolved_db())
    info(f"database is at schema revision {revision}")


@db_app.command("current")
def db_current(as_json: bool = json_option()) -> None:
    """Show the database's schema revision and the one this vip expects.

    Example: vip db current --json
    """
    from vipcli.cli.output import emit_json, info
    from vipcli.services.core import admin

    status = admin.database_status(CURRENT.resolved_db())
    if as_json:
        emit_json(status)
        return
    info(
        f"database {status['database']}: revision {status['current'] or '(empty)'}; "
        f"this vip expects {status['head']}"
        + ("" if status["current"] == status["head"] else " — run `vip db upgrade`")
    )


@config_app.command("show")
def config_show(as_json: bool = json_option()) -> None:
    """Print every effective rule and where its value came from (default or rules file).

    Example: vip --rules outlet-rules.toml config show
    """
    from vipcli.cli.output import console, emit_json, table

    loaded = CURRENT.loaded_rules()
    rows = loaded.effective()
    if as_json:
        emit_json(
            {
                "rules_file": str(loaded.path) if loaded.path else None,
                "rules": [{"name": n, "value": v, "source": s} for n, v, s in rows],
            }
        )
        return
    title = f"Rules — {loaded.path}" if loaded.path else "Rules — handbook defaults"
    console().print(table(title, ["rule", ("value", "right"), "source"], [list(r) for r in rows]))


def audit_cmd(
    customer: str = typer.Option(None, "--customer", help="Only entries about this customer."),
    action: str = typer.Option(None, "--action", help="Only this action (e.g. reveal, export)."),
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many entries, newest first."),
    as_json: bool = json_option(),
) -> None:
    """Show the audit log: who did what to which customer when (operator or branch head).

    Example: vip --as S001 audit --action reveal --limit 20
    """
    from vipcli.cli.output import console, emit_json, table
    from vipcli.services.core import admin

    entries = admin.audit_entries(CURRENT.context(), customer=customer, action=action, limit=limit)
    if as_json:
        emit_json(entries)
        return
    rows = [[e["at"], e["actor_id"], e["action"], e["customer_id"], e["detail"]] for e in entries]
    console().print(table("Audit log", ["at", "who", "action", "customer", "detail"], rows))


def backup_cmd(
    output: str = typer.Argument(..., metavar="FILE", help="Where to write the copy."),
) -> None:
    """Write a consistent copy of the SQLite database (operator or branch head; audited).

    Example: vip --as S900 backup /backups/vip-2026-11-28.db
    """
    from vipcli.cli.output import info
    from vipcli.services.core import admin

    path = admin.backup(CURRENT.context(), output)
    info(f"backup written to {path} (readable by its owner only)")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(config_app, name="config")
    app.command("audit")(audit_cmd)
    app.command("backup")(backup_cmd)
