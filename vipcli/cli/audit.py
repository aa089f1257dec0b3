"""`vip audit` (the log, newest first) and `vip audit verify` (its hash chain): SPEC §13.

`audit` is a group that runs its own listing when no subcommand is given, so
`vip audit --action reveal` keeps working beside `vip audit verify`. The nameless outer
Typer is merged into `vip` like every top-level command's (see vipcli/cli/app.py).
"""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()
group = typer.Typer(invoke_without_command=True, rich_markup_mode=None)
app.add_typer(group, name="audit")


@group.callback(help=_(
    "Show the audit log: who did what to which customer when (operator; a branch head sees "
    "its own outlet's entries: those about its customers, and its staff's naming no "
    "customer). `vip audit verify` checks its hash chain.\n\n"
    "Example: vip --as S001 audit --action reveal --limit 20"))
def audit(
    ctx: typer.Context,
    customer: str = typer.Option(None, "--customer", help=_("Only entries about this customer.")),
    action: str = typer.Option(None, "--action",
                               help=_("Only this action (e.g. reveal, export).")),
    limit: int = typer.Option(
        50, "--limit", help=_("At most this many entries (1 to 1,000,000), newest first.")),
    as_json: bool = json_option(),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from vipcli.cli.output import present
    from vipcli.cli.views import audit as view
    from vipcli.services.core import admin

    present(admin.audit_entries(CURRENT.context(), customer=customer, action=action, limit=limit),
            as_json=as_json, render=view.render)


@group.command("verify", help=_(
    "Check the audit log's hash chain (operator or branch head; reads only). Exit 0 prints "
    "the count and the latest hash; exit 1 names the first entry changed, removed or "
    "inserted. --hash checks that a hash written down earlier (from vip backup or vip db "
    "check) is still in the chain.\n\nExample: vip --as S004 audit verify"))
def verify(
    anchor: str = typer.Option(None, "--hash", metavar="HASH", help=_(
        "A latest hash written down earlier: it must still be the hash of an entry.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import audit as view
    from vipcli.services.core import audit as service

    result = service.verify_log(CURRENT.context(), anchor)
    present(result, as_json=as_json, render=view.render_verify)
    if not result["ok"]:
        raise typer.Exit(1)
