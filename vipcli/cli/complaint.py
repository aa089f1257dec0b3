"""`vip complaint add|ack|resolve|list`: complaints (抱怨投诉, SPEC §18)."""

import typer

from vipcli.cli.options import MAX_ID, json_option, plain_text, whole_number
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("Complaints: record, acknowledge, resolve and list them."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("add", help=_(
    "Record a customer's complaint (the customer's manager or advisor, the outlet's lobby "
    "managers, tellers and branch head). The customer's manager owns it and must "
    "acknowledge and resolve it within the rules' days; serious ones also go to the branch "
    "head's list.\n\n"
    "Example: vip --as S015 complaint add C0000325 --text \"理财赎回到账慢\" --severity serious"))
def add(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    text: str = typer.Option(..., "--text", callback=plain_text, help=_("What the customer said.")),
    severity: str = typer.Option("normal", "--severity",
                                 help=_("normal or serious (or 一般, 严重).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.complaint import render_added
    from vipcli.services.routine import complaints

    present(complaints.add(CURRENT.context(), customer, text=text, severity=severity),
            as_json=as_json, render=render_added)


@app.command("ack", help=_(
    "Acknowledge a complaint: the customer has been answered (its owner or the branch head). "
    "A contact the owner logs with the customer acknowledges it too.\n\n"
    "Example: vip --as S005 complaint ack 1"))
def ack(
    complaint: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                    help=_("Complaint id.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.complaint import render_acknowledged
    from vipcli.services.routine import complaints

    present(complaints.acknowledge(CURRENT.context(), complaint), as_json=as_json,
            render=render_acknowledged)


@app.command("resolve", help=_(
    "Resolve a complaint with its result and whether the customer was satisfied (its owner "
    "or the branch head; once).\n\n"
    "Example: vip --as S005 complaint resolve 1 --result \"已加急处理并致歉\" --satisfied yes"))
def resolve(
    complaint: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                    help=_("Complaint id.")),
    result: str = typer.Option(..., "--result", callback=plain_text,
                               help=_("What was done.")),
    satisfied: str = typer.Option(None, "--satisfied", metavar="yes|no",
                                  help=_("Was the customer satisfied (yes or no)?")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.complaint import render_resolved
    from vipcli.services.routine import complaints

    flag = complaints.satisfied_flag(satisfied)
    present(complaints.resolve(CURRENT.context(), complaint, result=result, satisfied=flag),
            as_json=as_json, render=render_resolved)


@app.command("list", help=_(
    "Complaints you own or recorded (the branch head: the outlet's), open ones first, "
    "overdue ones marked.\n\n"
    "Example: vip --as S004 complaint list --open"))
def list_complaints(
    open_only: bool = typer.Option(False, "--open", help=_("Only complaints not yet resolved.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.complaint import render_list
    from vipcli.services.routine import complaints

    present(complaints.list_complaints(CURRENT.context(), open_only=open_only),
            as_json=as_json, render=render_list)
