"""`vip report …`: every report in one group (SPEC §5, §6, §7, §11).

  vip report list        communication reports (客户沟通报告)
  vip report show ID     one whole report
  vip report review ID   the branch head's review of one
  vip report compliance  contact-rule compliance
  vip report weekly      the weekly review
  vip report retention   retention, contribution and loyalty
  vip report complaints  complaints of a month (§18)
  vip report satisfaction  customers' ratings of a month and their trend (§18)

Decision (issue 11): `vip report` is the one group for reports. `vip reports`, the old
spelling of the communication reports, stays as a hidden alias so scripts keep working:
it has the same subcommands, and with none it lists the communication reports with its
options (`--unreviewed`, `--staff`, `--limit`, `--json`) as it always did; `vip report`
with no subcommand shows its help.
"""

from collections.abc import Callable

import typer

from vipcli.cli.options import MAX_ID, json_option, plain_text, whole_number
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(
    help=_("Reports: communication reports (list, show, review), compliance, weekly review, "
           "retention, complaints, satisfaction."),
    no_args_is_help=True,
    rich_markup_mode=None,
)
reports_alias = typer.Typer(invoke_without_command=True, rich_markup_mode=None)


def compliance(
    month: str = typer.Option(None, "--month", metavar="YYYY-MM",
                              help=_("Calendar month (default: this one).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_compliance
    from vipcli.services.contact.compliance import compliance as build

    present(build(CURRENT.context(), month), as_json=as_json, render=render_compliance)


def weekly(
    week: str = typer.Option(None, "--week", metavar="YYYY-Www",
                             help=_("ISO week (default: this week).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_weekly
    from vipcli.services.sales.weekly import weekly_report

    present(weekly_report(CURRENT.context(), week=week), as_json=as_json, render=render_weekly)


def retention(
    from_month: str = typer.Option(None, "--from", metavar="YYYY-MM", help=_("Period start month.")),
    to_month: str = typer.Option(None, "--to", metavar="YYYY-MM", help=_("Period end month.")),
    month: str = typer.Option(None, "--month", metavar="YYYY-MM", help=_(
        "The month whose recorded losses are listed, and the last of the six-month trend "
        "(default: this month).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_retention
    from vipcli.services.routine.retention import retention_report

    present(retention_report(CURRENT.context(), from_month=from_month, to_month=to_month,
                             month=month),
            as_json=as_json, render=render_retention)


def complaints(
    month: str = typer.Option(None, "--month", metavar="YYYY-MM",
                              help=_("Calendar month (default: this one).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.complaint import render_report
    from vipcli.services.routine.complaints import report as build

    present(build(CURRENT.context(), month), as_json=as_json, render=render_report)


def satisfaction(
    month: str = typer.Option(None, "--month", metavar="YYYY-MM",
                              help=_("Calendar month (default: this one).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_satisfaction
    from vipcli.services.routine.satisfaction import report as build

    present(build(CURRENT.context(), month), as_json=as_json, render=render_satisfaction)


def _unreviewed_option() -> bool:
    return typer.Option(False, "--unreviewed", help=_("Only reports not yet reviewed."))


def _staff_option() -> str:
    return typer.Option(None, "--staff", metavar="ID",
                        help=_("One staff member's reports (branch head)."))


def _limit_option() -> int:
    return typer.Option(None, "--limit", metavar="N", callback=whole_number(1, MAX_ID),
                        help=_("Only the N newest reports (default: all)."))


def list_reports(
    unreviewed: bool = _unreviewed_option(),
    staff: str = _staff_option(),
    limit: int = _limit_option(),
    as_json: bool = json_option(),
) -> None:
    _list_reports(unreviewed, staff, limit, as_json)


def show(
    report_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                    help=_("Report id.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_report
    from vipcli.services.contact.contacts import get_report

    present(get_report(CURRENT.context(), report_id), as_json=as_json, render=render_report)


def review(
    report_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                    help=_("Report id.")),
    comment: str = typer.Option(..., "--comment", callback=plain_text,
                                help=_("Effectiveness, compliance, progress, frequency.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_reviewed
    from vipcli.services.contact.contacts import review_report

    present(review_report(CURRENT.context(), report_id, comment), as_json=as_json,
            render=render_reviewed)


def _helps(group: str) -> dict[str, str]:
    """Each command's help, with an example on the demo outlet (S004 heads O001)."""
    return {
        "compliance": _("Contact-rule compliance per manager and tier: monthly cadence, "
                        "quarterly minimum, weeks meeting the 10-customers rule (§5).\n\n"
                        "Example: vip --as S004 {group} compliance --month 2026-11"),
        "weekly": _("The weekly review: per manager opportunities, contacts against the "
                    "rule, overdue follow-ups.\n\n"
                    "Example: vip --as S004 {group} weekly --week 2026-W48"),
        "retention": _("VIP retention by tier, customers lost or downgraded, assets lost; "
                       "the month's recorded losses one by one and the last 6 months' "
                       "retention trend (§18); contribution and loyalty.\n\n"
                       "Example: vip --as S004 {group} retention --month 2026-11"),
        "complaints": _("Complaints opened in a month: acknowledged and resolved on time, "
                        "still open, overdue, satisfied; by severity and by owner (§18). The "
                        "branch head sees the outlet's, a manager its own.\n\n"
                        "Example: vip --as S004 {group} complaints --month 2026-11"),
        "satisfaction": _("Customers' own ratings (1–5, logged with `vip log-contact "
                          "--satisfaction`): the month's average and count for the outlet "
                          "and each staff member, and the last 6 months' trend (§18).\n\n"
                          "Example: vip --as S004 {group} satisfaction --month 2026-11"),
        "list": _("Communication reports, newest first: the outlet's for the branch head, "
                  "one's own otherwise; `vip {group} show ID` shows one whole.\n\n"
                  "Example: vip --as S004 {group} list --unreviewed --limit 10"),
        "show": _("One whole communication report: customer, author, channel, purpose, "
                  "summary, key points, needs, next step, review. The branch head reads the "
                  "outlet's reports, others their own.\n\n"
                  "Example: vip --as S004 {group} show 1"),
        "review": _("Review a communication report (the outlet's branch head; once per "
                    "report).\n\n"
                    "Example: vip --as S004 {group} review 1 --comment \"needs analysed well; "
                    "call again next week\""),
    }


def _short_helps() -> dict[str, str]:
    """The one line each command has in `vip report --help`."""
    return {
        "compliance": _("Contact-rule compliance (§5)."),
        "weekly": _("The weekly review (§7)."),
        "retention": _("Retention, contribution and loyalty (§11)."),
        "complaints": _("Complaints of a month (§18)."),
        "satisfaction": _("Customer satisfaction of a month and its trend (§18)."),
        "list": _("List communication reports, newest first."),
        "show": _("One whole communication report."),
        "review": _("Review a communication report (branch head)."),
    }


COMMANDS: dict[str, Callable[..., None]] = {"compliance": compliance, "weekly": weekly, "retention": retention,
            "list": list_reports, "show": show, "review": review,
            "complaints": complaints, "satisfaction": satisfaction}
for group, spelling in ((app, "report"), (reports_alias, "reports")):
    helps, shorts = _helps(spelling), _short_helps()
    for name, command in COMMANDS.items():
        group.command(name, help=helps[name].format(group=spelling),
                      short_help=shorts[name])(command)


@reports_alias.callback(help=_("Communication reports: the outlet's for the branch head, one's "
                               "own otherwise; `vip reports show ID` shows one whole.\n\n"
                               "Example: vip --as S004 reports --unreviewed"))
def reports(
    ctx: typer.Context,
    unreviewed: bool = _unreviewed_option(),
    staff: str = _staff_option(),
    limit: int = _limit_option(),
    as_json: bool = json_option(),
) -> None:
    if ctx.invoked_subcommand is None:
        _list_reports(unreviewed, staff, limit, as_json)


def _list_reports(unreviewed: bool, staff: str | None, limit: int | None, as_json: bool) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.report import render_reports
    from vipcli.services.contact.contacts import list_reports as communication_reports

    present(communication_reports(CURRENT.context(), unreviewed=unreviewed, staff_id=staff,
                                  limit=limit),
            as_json=as_json, render=render_reports, document=lambda found: found.rows)
