"""Command groups shared by several modules (e.g. `vip report compliance|weekly|retention`)."""

from __future__ import annotations

import typer

report_app = typer.Typer(
    help="Reports: compliance, weekly review, retention.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def attach(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
