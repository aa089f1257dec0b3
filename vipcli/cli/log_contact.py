"""`vip log-contact`: record a contact and its communication report (SPEC §6)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import typer

from vipcli.cli.options import (
    MAX_ID,
    checked_text,
    in_date_range,
    json_option,
    plain_text,
    whole_number,
)
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

if TYPE_CHECKING:
    from vipcli.services.contact.contacts import ContactInput

app = typer.Typer()


@app.command("log-contact")
def log_contact(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="Customer id."),
    channel: str = typer.Option(..., "--channel", help="phone|meeting|sms|email|wechat (or 電話, 面見 …)."),
    at: str = typer.Option(None, "--at", metavar="T", help="When (ISO date or date-time; default now)."),
    purpose: str = typer.Option(None, "--purpose", callback=plain_text, help="Purpose, e.g. care, after-sales, diagnosis."),
    summary: str = typer.Option(None, "--summary", callback=plain_text, help="What was said."),
    key_points: str = typer.Option(None, "--key-points", callback=plain_text, help="Key points (溝通要點)."),
    needs: str = typer.Option(None, "--needs", callback=plain_text, help="The customer's needs or problems."),
    next_plan: str = typer.Option(None, "--next", metavar="PLAN", callback=plain_text, help="Next-step plan."),
    next_date: str = typer.Option(None, "--next-date", metavar="D", help="Date of the next step."),
    opportunity: int = typer.Option(None, "--opportunity", metavar="ID", callback=whole_number(1, MAX_ID), help="Advance this opportunity."),
    stage: str = typer.Option(None, "--stage", help="The opportunity's new stage."),
    open_product: str = typer.Option(None, "--open-opportunity", metavar="PRODUCT",
                                     help="Open an opportunity for this product."),
    as_json: bool = json_option(),
) -> None:
    """Record a call, meeting or message and its communication report (§6).

    Missing report fields are asked for when run in a terminal, never otherwise.

    Example: vip --as M1 log-contact C1001 --channel phone --summary "birthday call" --next "send fund fact sheet" --next-date 2026-12-01
    """
    from vipcli.cli.output import present
    from vipcli.services.contact.contacts import ContactInput
    from vipcli.services.contact.contacts import log_contact as record_contact

    entry = ContactInput(customer, channel, _datetime(at), purpose, summary, key_points, needs,
                         next_plan, _date(next_date, "--next-date"), opportunity, stage, open_product)
    if sys.stdin.isatty():
        from vipcli.services.contact.contacts import normalise_channel

        normalise_channel(channel)  # refuse a bad channel before asking questions
        _ask_missing(entry)
    present(record_contact(CURRENT.context(), entry), as_json=as_json, render=_render)


def _render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info

    done = f"; {doc['followups_done']} earlier follow-up(s) settled" if doc["followups_done"] else ""
    info(f"contact {doc['contact_id']} logged for {doc['customer_id']} ({doc['channel']}, "
         f"{doc['at']}), report {doc['report_id']}{done}")


def _datetime(text: str | None) -> dt.datetime | None:
    from vipcli.errors import InvalidInput

    if text is None:
        return None
    try:
        at = dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise InvalidInput(f"--at must be a date or date-time like 2026-11-27T10:30, got {text!r}") from None
    return in_date_range(at, "--at")


def _ask_missing(entry: ContactInput) -> None:
    """On a terminal only: ask for the report fields not given (empty answer skips)."""
    for attr, question in (("summary", "Summary"), ("key_points", "Key points (溝通要點)"),
                           ("needs", "Needs or problems raised"), ("next_plan", "Next-step plan")):
        if getattr(entry, attr) is None:
            answer = typer.prompt(question, default="", show_default=False, err=True).strip()
            setattr(entry, attr, checked_text(answer, question) or None)
    if entry.next_plan and entry.next_date is None:
        entry.next_date = _date(typer.prompt("Next-step date (YYYY-MM-DD)", err=True), "--next-date")
