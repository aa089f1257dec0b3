"""The `vip` command: global options, command registration, the one error renderer.

Only Typer is imported at module level (Ruff TID253): every command imports what it
needs inside its function, so `vip --help` and `vip due` stay fast.
"""

from __future__ import annotations

import os
import sys

import typer

from vipcli.cli import groups
from vipcli.cli.state import CURRENT

app = typer.Typer(
    name="vip",
    help="VIP customer relationship management for a bank outlet (貴賓客戶關係管理).",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def root(
    db: str = typer.Option(
        None, "--db", metavar="PATH_OR_URL", help="Database file or SQLAlchemy URL [env VIP_DB]."
    ),
    as_: str = typer.Option(
        None, "--as", metavar="STAFF_ID", help="Acting staff member [env VIP_USER]."
    ),
    rules: str = typer.Option(None, "--rules", metavar="FILE", help="Rules file (TOML) [env VIP_RULES]."),
) -> None:
    """VIP customer relationship management for a bank outlet.

    Example: vip --as S002 due
    """
    CURRENT.db = db
    CURRENT.actor_id = as_
    CURRENT.rules = rules


def _register() -> None:
    from vipcli.cli import (
        admin_cmd,
        assign_cmd,
        contact_cmd,
        customers_cmd,
        import_cmd,
        profile_cmd,
        quickstart_cmd,
        sales_cmd,
        screen_cmd,
    )

    for module in (
        quickstart_cmd,
        import_cmd,
        customers_cmd,
        screen_cmd,
        assign_cmd,
        contact_cmd,
        sales_cmd,
        profile_cmd,
        admin_cmd,
    ):
        module.register(app)
    groups.attach(app)


_register()


def _render_error(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)


def run(args: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; VipError and pydantic errors become one line."""
    from vipcli.errors import VipError

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
        from vipcli.config import describe_validation_error

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
    # the database closed in run() (PERFORMANCE.md, start-up).
    os._exit(code)
