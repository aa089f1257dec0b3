"""Reusable options (sqlite-utils style): small factories so every command spells them alike."""

from __future__ import annotations

import typer

JSON_HELP = "Print one JSON document on stdout (for scripts)."


def json_option() -> bool:
    return typer.Option(False, "--json", help=JSON_HELP)


def dry_run_option(help_text: str = "Validate and show what would change; write nothing.") -> bool:
    return typer.Option(False, "--dry-run", help=help_text)


def reveal_option() -> bool:
    return typer.Option(
        False, "--reveal", help="Show phone and ID numbers in full (own manager or branch head; audited)."
    )
