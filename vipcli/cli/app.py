"""The `vip` command: global options, the command modules joined, the one error renderer.

One module per command group, named after its command, each with its own `typer.Typer()`
(Typer's "one module per command group"): a group (`vip risk …`) is added here with its
name; a top-level command's module has a nameless Typer whose command Typer merges into
this one (`app.add_typer(module.app)`, supported by the installed Typer). No module
registers another's commands; `vip --help` lists them in the order they are added below.

`vip report` is the one group for reports; `vip reports`, the old spelling, stays as a
hidden alias so scripts keep working (see vipcli.cli.report).

A command parses its options, calls one service and hands the result to
`output.present`, which prints the §15 JSON document or calls the command's renderer.
Renderers longer than a status line live in vipcli.cli.views (`views.due` for `vip due`):
every command module is compiled and loaded for `vip --help`, the views only when a
result is shown on a terminal.

Only Typer is imported at module level (Ruff TID253): every command imports what it
needs inside its function, so `vip --help` and `vip due` stay fast. The command modules
and cli/options.py do without `from __future__ import annotations`: Typer reads every
command's and option callback's signature to build the tree on each run, and a string
annotation costs an eval (≈ 14 ms of `vip --help`; bench/bench_before_after.py).
"""

from __future__ import annotations

import os
import sys

import typer

from vipcli.cli import (
    activity,
    admit,
    approvals,
    approve,
    assign,
    audit,
    backup,
    config,
    customers,
    db,
    decline,
    due,
    export,
    handover,
    import_,
    journal,
    lobby,
    log_contact,
    opp,
    quickstart,
    recommend,
    reject,
    report,
    restore,
    risk,
    screen,
    segment,
    show,
    sign,
    target,
)
from vipcli.cli.state import CURRENT

app = typer.Typer(
    name="vip",
    help="VIP customer relationship management for a bank outlet (貴賓客戶關係管理).",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
)


def _known_language(value: str | None) -> str | None:
    from vipcli import i18n

    if value is not None and i18n.normalise(value) is None:
        raise typer.BadParameter(f"{value!r} is not a language vip speaks (zh_CN, en)")
    return value


@app.callback()
def root(
    db: str = typer.Option(
        None, "--db", metavar="PATH_OR_URL", help="Database file or SQLAlchemy URL [env VIP_DB]."
    ),
    as_: str = typer.Option(
        None, "--as", metavar="STAFF_ID", help="Acting staff member [env VIP_USER]."
    ),
    rules: str = typer.Option(None, "--rules", metavar="FILE", help="Rules file (TOML) [env VIP_RULES]."),
    lang: str = typer.Option(
        None, "--lang", metavar="LANG", callback=_known_language,
        help="Language of the screens: zh_CN (default) or en [env VIP_LANG].",
    ),
) -> None:
    """VIP customer relationship management for a bank outlet.

    Example: vip --as S002 due
    """
    CURRENT.db = db
    CURRENT.actor_id = as_
    CURRENT.rules = rules


# Getting started and the customer base.
app.add_typer(quickstart.app)
app.add_typer(import_.app)
app.add_typer(customers.app)
# The lifecycle (§1, §3): screening, signing, special admission.
app.add_typer(screen.app)
app.add_typer(sign.app)
app.add_typer(decline.app)
app.add_typer(admit.app)
app.add_typer(approvals.app)
app.add_typer(approve.app)
app.add_typer(reject.app)
# Allocation (§2), contact (§5, §6), sales (§7, §8), the routine (§4, §9 – §11).
app.add_typer(assign.app)
app.add_typer(handover.app)
app.add_typer(due.app)
app.add_typer(log_contact.app)
app.add_typer(recommend.app)
app.add_typer(export.app)
app.add_typer(show.app)
app.add_typer(lobby.app)
app.add_typer(segment.app)
# Administration.
app.add_typer(audit.app)
app.add_typer(backup.app)
app.add_typer(restore.app)
# The groups.
app.add_typer(risk.app, name="risk")
app.add_typer(report.reports_alias, name="reports", hidden=True)
app.add_typer(opp.app, name="opp")
app.add_typer(target.app, name="target")
app.add_typer(activity.app, name="activity")
app.add_typer(journal.app, name="journal")
app.add_typer(db.app, name="db")
app.add_typer(config.app, name="config")
app.add_typer(report.app, name="report")


def _render_error(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)


def run(args: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; VipError and pydantic errors become one line."""
    from vipcli import i18n
    from vipcli.errors import VipError

    i18n.activate(i18n.choose(sys.argv[1:] if args is None else args, os.environ))
    try:
        app(args=args, standalone_mode=True)
        return 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except VipError as exc:
        _render_error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        _render_error("interrupted; nothing was committed by the interrupted step")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        return _render_unexpected(exc)
    finally:
        CURRENT.close()


def _render_unexpected(exc: Exception) -> int:
    """Known library failures get one line; anything else is a bug and says so."""
    name = type(exc).__module__ + "." + type(exc).__name__
    if name.startswith("pydantic"):
        from pydantic import ValidationError

        from vipcli.config import describe_validation_error

        if isinstance(exc, ValidationError):
            _render_error(f"invalid input: {describe_validation_error(exc)}")
            return 1
    if name.startswith("sqlalchemy"):
        orig = getattr(exc, "orig", exc)
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        _render_error(f"database error: {first}")
        return 2
    if os.environ.get("VIP_DEBUG"):
        raise exc
    _render_error(f"internal error ({type(exc).__name__}: {exc}); set VIP_DEBUG=1 for details")
    return 3


def main() -> None:
    code = run()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown (≈0.2 s with SQLAlchemy loaded): output is flushed and
    # the database closed in run().
    os._exit(code)
