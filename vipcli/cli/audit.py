"""`vip audit`: who did what to which customer when (SPEC §13)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("audit", help=_(
    "Show the audit log: who did what to which customer when (operator; a branch head sees "
    "its own outlet's entries: those about its customers, and its staff's naming no "
    "customer).\n\nExample: vip --as S001 audit --action reveal --limit 20"))
def audit(
    customer: str = typer.Option(None, "--customer", help=_("Only entries about this customer.")),
    action: str = typer.Option(None, "--action",
                               help=_("Only this action (e.g. reveal, export).")),
    limit: int = typer.Option(
        50, "--limit", help=_("At most this many entries (1 to 1,000,000), newest first.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import audit as view
    from vipcli.services.core import admin

    present(admin.audit_entries(CURRENT.context(), customer=customer, action=action, limit=limit),
            as_json=as_json, render=view.render)
