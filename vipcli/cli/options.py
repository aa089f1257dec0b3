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


def parse_date(text: str | None, option: str = "--date"):
    """An option's ISO date, or None; a malformed one is refused naming the option."""
    if text is None:
        return None
    import datetime as dt

    from vipcli.errors import InvalidInput

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option} must be a date YYYY-MM-DD (like 2026-11-27), got {text!r}") from None
