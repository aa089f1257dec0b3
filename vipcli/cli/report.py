"""`vip report …`: every report in one group (SPEC §5, §6, §7, §11).

  vip report list        communication reports (客戶溝通報告)
  vip report review ID   the branch head's review of one
  vip report compliance  contact-rule compliance
  vip report weekly      the weekly review
  vip report retention   retention, contribution and loyalty

Decision (issue 11): `vip report` is the one group for reports. `vip reports`, the old
spelling of the communication reports, stays as a hidden alias so scripts keep working:
it has the same subcommands, and with none it lists the communication reports with its
options (`--unreviewed`, `--staff`, `--json`) as it always did; `vip report` with no
subcommand shows its help.
"""

import typer

from vipcli.cli.options import MAX_ID, json_option, plain_text, whole_number
from vipcli.cli.state import CURRENT

app = typer.Typer(
    help="Reports: communication reports (list, review), compliance, weekly review, retention.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
reports_alias = typer.Typer(invoke_without_command=True, rich_markup_mode=None)


def compliance(
    month: str = typer.Option(None, "--month", metavar="YYYY-MM", help="Calendar month (default: this one)."),
    as_json: bool = json_option(),
) -> None:
    """Contact-rule compliance per manager and tier: monthly cadence, quarterly minimum,
    weeks meeting the 10-customers rule (§5).

    Example: vip --as H1 report compliance --month 2026-11
    """
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_compliance
    from vipcli.services.contact.compliance import compliance as build

    present(build(CURRENT.context(), month), as_json=as_json, render=render_compliance)


def weekly(
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help="ISO week (default: this week)."),
    as_json: bool = json_option(),
) -> None:
    """The weekly review: per manager opportunities, contacts vs the rule, overdue follow-ups.

    Example: vip --as H1 report weekly --week 2026-W48
    """
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_weekly
    from vipcli.services.sales.weekly import weekly_report

    present(weekly_report(CURRENT.context(), week=week), as_json=as_json, render=render_weekly)


def retention(
    from_month: str = typer.Option(None, "--from", metavar="YYYY-MM", help="Period start month."),
    to_month: str = typer.Option(None, "--to", metavar="YYYY-MM", help="Period end month."),
    as_json: bool = json_option(),
) -> None:
    """VIP retention by tier, customers lost or downgraded, assets lost; contribution and loyalty.

    Example: vip --as H1 report retention --from 2025-10 --to 2026-10
    """
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_retention
    from vipcli.services.routine.retention import retention_report

    present(retention_report(CURRENT.context(), from_month=from_month, to_month=to_month),
            as_json=as_json, render=render_retention)


def list_reports(
    unreviewed: bool = typer.Option(False, "--unreviewed", help="Only reports not yet reviewed."),
    staff: str = typer.Option(None, "--staff", metavar="ID", help="One staff member's (branch head)."),
    as_json: bool = json_option(),
) -> None:
    """Communication reports (客戶溝通報告): the outlet's for the branch head, one's own
    otherwise; `vip report review ID --comment …` reviews one.

    Example: vip --as H1 report list --unreviewed
    """
    _list_reports(unreviewed, staff, as_json)


def review(
    report_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID), help="Report id."),
    comment: str = typer.Option(..., "--comment", callback=plain_text, help="Effectiveness, compliance, progress, frequency."),
    as_json: bool = json_option(),
) -> None:
    """Review a communication report (the outlet's branch head; once per report).

    Example: vip --as H1 report review 42 --comment "good needs analysis; call again in a week"
    """
    from vipcli.cli.output import info, present
    from vipcli.services.contact.contacts import review_report

    present(review_report(CURRENT.context(), report_id, comment), as_json=as_json,
            render=lambda doc: info(f"report {report_id} reviewed by {doc['reviewed_by']} "
                                    f"on {doc['reviewed_at'][:10]}"))


for group in (app, reports_alias):
    group.command("compliance")(compliance)
    group.command("weekly")(weekly)
    group.command("retention")(retention)
    group.command("list")(list_reports)
    group.command("review")(review)


@reports_alias.callback()
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
    if ctx.invoked_subcommand is None:
        _list_reports(unreviewed, staff, as_json)


def _list_reports(unreviewed: bool, staff: str | None, as_json: bool) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_reports
    from vipcli.services.contact.contacts import list_reports as communication_reports

    present(communication_reports(CURRENT.context(), unreviewed=unreviewed, staff_id=staff),
            as_json=as_json, render=render_reports)
