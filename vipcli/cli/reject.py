"""`vip reject`: reject a special admission request (SPEC §3)."""

import typer

from vipcli.cli.options import MAX_ID, json_option, plain_text, whole_number
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("reject", help=_(
    "Reject a special admission request, or (operators) a pending role grant; never your "
    "own (audited).\n\nExample: vip --as S004 reject 1 --reason \"no asset plan\""))
def reject(
    request_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                     help=_("Request number, as vip approvals lists it.")),
    reason: str = typer.Option(..., "--reason", callback=plain_text,
                               help=_("Why the request is rejected.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.approve import render_decision
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.admission import reject as reject_request

    present(reject_request(CURRENT.context(), request_id, reason), as_json=as_json,
            render=render_decision)
