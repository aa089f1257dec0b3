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
from vipcli.i18n import _

if TYPE_CHECKING:
    from vipcli.services.contact.contacts import ContactInput

app = typer.Typer()


@app.command("log-contact", help=_(
    "Record a call, meeting or message and its communication report (§6).\n\n"
    "Missing report fields are asked for when run in a terminal, never otherwise.\n\n"
    "Example: vip --as S005 log-contact C0000325 --channel phone --summary \"maturity "
    "reminder\" --needs \"steady returns\" --next \"meet to present the large-sum "
    "deposit\" --next-date 2026-12-02"))
def log_contact(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer id.")),
    channel: str = typer.Option(..., "--channel", help=_(
        "phone|meeting|sms|email|wechat (or 电话, 面见, 短信, 邮件, 微信).")),
    at: str = typer.Option(None, "--at", metavar="T",
                           help=_("When (ISO date or date-time; default now).")),
    purpose: str = typer.Option(None, "--purpose", callback=plain_text,
                                help=_("Purpose, e.g. care, after-sales, diagnosis.")),
    summary: str = typer.Option(None, "--summary", callback=plain_text, help=_("What was said.")),
    key_points: str = typer.Option(None, "--key-points", callback=plain_text,
                                   help=_("Key points of the conversation.")),
    needs: str = typer.Option(None, "--needs", callback=plain_text,
                              help=_("The customer's needs or problems.")),
    next_plan: str = typer.Option(None, "--next", metavar="PLAN", callback=plain_text,
                                  help=_("Next-step plan.")),
    next_date: str = typer.Option(None, "--next-date", metavar="D",
                                  help=_("Date of the next step.")),
    opportunity: int = typer.Option(None, "--opportunity", metavar="ID",
                                    callback=whole_number(1, MAX_ID),
                                    help=_("Advance this opportunity.")),
    stage: str = typer.Option(None, "--stage", help=_("The opportunity's new stage.")),
    open_product: str = typer.Option(None, "--open-opportunity", metavar="PRODUCT",
                                     help=_("Open an opportunity for this product.")),
    satisfaction: str = typer.Option(None, "--satisfaction", metavar="1-5",
                                     help=_("The customer's own rating of our service, 1 to 5.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.services.contact.contacts import ContactInput
    from vipcli.services.contact.contacts import log_contact as record_contact

    entry = ContactInput(customer, channel, _datetime(at), purpose, summary, key_points, needs,
                         next_plan, _date(next_date, "--next-date"), opportunity, stage, open_product,
                         _rating(satisfaction))
    if sys.stdin.isatty():
        from vipcli.services.contact.contacts import normalise_channel

        normalise_channel(channel)  # refuse a bad channel before asking questions
        _ask_missing(entry)
    present(record_contact(CURRENT.context(), entry), as_json=as_json, render=_render)


def _render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info
    from vipcli.domain import labels

    info(_("Contact {contact} logged for {customer} ({channel}, {at}), report {report}.").format(
        contact=doc["contact_id"], customer=doc["customer_id"],
        channel=labels.channel(doc["channel"]), at=doc["at"][:16].replace("T", " "),
        report=doc["report_id"]))
    if doc["followups_done"]:
        info(_("Earlier follow-ups settled by this contact: {count}.").format(
            count=doc["followups_done"]))
    if doc.get("opportunity_id"):
        info(_("Opportunity {id} updated.").format(id=doc["opportunity_id"]))
    if doc.get("complaints_acknowledged"):
        info(_("Complaints acknowledged by this contact: {ids}.").format(
            ids=", ".join(str(i) for i in doc["complaints_acknowledged"])))


def _rating(text: str | None) -> int | None:
    """§18 --satisfaction: a whole number 1..5 (0, 6 or a word: one line, exit 1)."""
    from vipcli.errors import InvalidInput

    if text is None:
        return None
    value = text.strip()
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 5):
        raise InvalidInput(_("--satisfaction must be a whole number from 1 to 5, got {value!r}")
                           .format(value=text))
    return int(value)


def _datetime(text: str | None) -> dt.datetime | None:
    from vipcli.errors import InvalidInput

    if text is None:
        return None
    try:
        at = dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise InvalidInput(_("--at must be a date or date-time like 2026-11-27T10:30, got {value!r}")
                           .format(value=text)) from None
    return in_date_range(at, "--at")


def _ask_missing(entry: ContactInput) -> None:
    """On a terminal only: ask for the report fields not given (empty answer skips)."""
    for attr, question in (("summary", _("Summary")), ("key_points", _("Key points")),
                           ("needs", _("Needs or problems raised")),
                           ("next_plan", _("Next-step plan"))):
        if getattr(entry, attr) is None:
            answer = typer.prompt(question, default="", show_default=False, err=True).strip()
            setattr(entry, attr, checked_text(answer, question) or None)
    if entry.next_plan and entry.next_date is None:
        entry.next_date = _date(typer.prompt(_("Next-step date (YYYY-MM-DD)"), err=True),
                                "--next-date")
