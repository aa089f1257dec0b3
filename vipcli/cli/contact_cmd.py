"""The morning list and contact logging: `vip due`, `vip log-contact`, `vip reports`,
`vip report compliance` (SPEC §5, §6)."""

from __future__ import annotations

import sys

import typer

from vipcli.cli.groups import report_app
from vipcli.cli.options import json_option
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

reports_app = typer.Typer(
    invoke_without_command=True,
    rich_markup_mode=None,
)




def due(
    staff: str = typer.Option(None, "--staff", metavar="ID", help="One staff member's list (branch head)."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="Evaluate the list on another day."),
    limit: int = typer.Option(None, "--limit", min=1, help="At most this many customers."),
    as_json: bool = json_option(),
) -> None:
    """Who to contact today, most urgent first, with every reason (§5).

    Example: vip --as M1 due --limit 20
    """
    import gc

    # Every morning, so start-up counts: the cyclic GC only costs time in this short,
    # read-only command (≈ 60 ms of collections over SQLAlchemy's and the models' objects,
    # PERFORMANCE.md); frozen before re-enabling, so no full collection follows.
    gc.disable()
    try:
        _due(staff, as_of, limit, as_json)
    finally:
        gc.freeze()
        gc.enable()


def _due(staff: str | None, as_of: str | None, limit: int | None, as_json: bool) -> None:
    from vipcli.services.contact.due import due_list

    doc = due_list(CURRENT.context(), staff_id=staff, as_of=_date(as_of, "--as-of"), limit=limit)
    if as_json:
        from vipcli.cli.output import emit_json

        emit_json(doc)
        return
    from vipcli.cli.due_view import render_due

    render_due(doc)


def log_contact(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="Customer id."),
    channel: str = typer.Option(..., "--channel", help="phone|meeting|sms|email|wechat (or 電話, 面見 …)."),
    at: str = typer.Option(None, "--at", metavar="T", help="When (ISO date or date-time; default now)."),
    purpose: str = typer.Option(None, "--purpose", help="Purpose, e.g. care, after-sales, diagnosis."),
    summary: str = typer.Option(None, "--summary", help="What was said."),
    key_points: str = typer.Option(None, "--key-points", help="Key points (溝通要點)."),
    needs: str = typer.Option(None, "--needs", help="The customer's needs or problems."),
    next_plan: str = typer.Option(None, "--next", metavar="PLAN", help="Next-step plan."),
    next_date: str = typer.Option(None, "--next-date", metavar="D", help="Date of the next step."),
    opportunity: int = typer.Option(None, "--opportunity", metavar="ID", help="Advance this opportunity."),
    stage: str = typer.Option(None, "--stage", help="The opportunity's new stage."),
    open_product: str = typer.Option(None, "--open-opportunity", metavar="PRODUCT",
                                     help="Open an opportunity for this product."),
    as_json: bool = json_option(),
) -> None:
    """Record a call, meeting or message and its communication report (§6).

    Missing report fields are asked for when run in a terminal, never otherwise.

    Example: vip --as M1 log-contact C1001 --channel phone --summary "birthday call" --next "send fund fact sheet" --next-date 2026-12-01
    """
    from vipcli.services.contact.contacts import ContactInput
    from vipcli.services.contact.contacts import log_contact as log

    entry = ContactInput(customer, channel, _datetime(at), purpose, summary, key_points, needs,
                         next_plan, _date(next_date, "--next-date"), opportunity, stage, open_product)
    if sys.stdin.isatty():
        from vipcli.services.contact.contacts import normalise_channel

        normalise_channel(channel)  # refuse a bad channel before asking questions
        _ask_missing(entry)
    doc = log(CURRENT.context(), entry)
    if as_json:
        from vipcli.cli.output import emit_json

        emit_json(doc)
        return
    from vipcli.cli.output import info

    done = f"; {doc['followups_done']} earlier follow-up(s) settled" if doc["followups_done"] else ""
    info(f"contact {doc['contact_id']} logged for {doc['customer_id']} ({doc['channel']}, "
         f"{doc['at']}), report {doc['report_id']}{done}")


def _datetime(text: str | None):
    import datetime as dt

    from vipcli.errors import InvalidInput

    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise InvalidInput(f"--at must be a date or date-time like 2026-11-27T10:30, got {text!r}") from None


def _ask_missing(entry) -> None:
    """On a terminal only: ask for the report fields not given (empty answer skips)."""
    for attr, question in (("summary", "Summary"), ("key_points", "Key points (溝通要點)"),
                           ("needs", "Needs or problems raised"), ("next_plan", "Next-step plan")):
        if getattr(entry, attr) is None:
            answer = typer.prompt(question, default="", show_default=False, err=True).strip()
            setattr(entry, attr, answer or None)
    if entry.next_plan and entry.next_date is None:
        entry.next_date = _date(typer.prompt("Next-step date (YYYY-MM-DD)", err=True), "--next-date")


@reports_app.callback()
def reports(
    ctx: typer.Context,
    unreviewed: bool = typer.Option(False, "--unreviewed", help="Only reports not yet reviewed."),
    staff: str = typer.Option(None, "--staff", metavar="ID", help="One staff member's (branch head)."),
    as_json: bool = json_option(),
) -> None:
    """Communication reports (客戶溝通報告): the outlet's for the branch head, one's own
    otherwise; `vip reports review ID --comment …` reviews one.

    Example: vip --as H1 reports --unreviewed
    """
    if ctx.invoked_subcommand is not None:
        return
    from vipcli.services.contact.contacts import list_reports

    rows = list_reports(CURRENT.context(), unreviewed=unreviewed, staff_id=staff)
    if as_json:
        from vipcli.cli.output import emit_json

        emit_json(rows)
        return
    from vipcli.cli.due_view import render_reports

    render_reports(rows)


@reports_app.command("review")
def review(
    report_id: int = typer.Argument(..., metavar="ID", help="Report id."),
    comment: str = typer.Option(..., "--comment", help="Effectiveness, compliance, progress, frequency."),
    as_json: bool = json_option(),
) -> None:
    """Review a communication report (the outlet's branch head; once per report).

    Example: vip --as H1 reports review 42 --comment "good needs analysis; call again in a week"
    """
    from vipcli.services.contact.contacts import review_report

    doc = review_report(CURRENT.context(), report_id, comment)
    from vipcli.cli.output import emit_json, info

    if as_json:
        emit_json(doc)
    else:
        info(f"report {report_id} reviewed by {doc['reviewed_by']} on {doc['reviewed_at'][:10]}")


def compliance(
    month: str = typer.Option(None, "--month", metavar="YYYY-MM", help="Calendar month (default: this one)."),
    as_json: bool = json_option(),
) -> None:
    """Contact-rule compliance per manager and tier: monthly cadence, quarterly minimum,
    weeks meeting the 10-customers rule (§5).

    Example: vip --as H1 report compliance --month 2026-11
    """
    from vipcli.services.contact.compliance import compliance as build

    doc = build(CURRENT.context(), month)
    if as_json:
        from vipcli.cli.output import emit_json

        emit_json(doc)
        return
    from vipcli.cli.due_view import render_compliance

    render_compliance(doc)


def register(app: typer.Typer) -> None:
    app.command("due")(due)
    app.command("log-contact")(log_contact)
    app.add_typer(reports_app, name="reports")
    report_app.command("compliance")(compliance)
