"""`vip approve`: approve a special admission request (SPEC §3)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import MAX_ID, json_option, whole_number
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("approve", help=_(
    "Approve a special admission request, or (operators) a pending role grant; never your "
    "own (audited).\n\nExample: vip --as S004 approve 1"))
def approve(
    request_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                     help=_("Request number, as vip approvals lists it.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.admission import approve as approve_request

    present(approve_request(CURRENT.context(), request_id), as_json=as_json, render=render_decision)


def render_decision(doc: Mapping[str, Any]) -> None:
    """One line for a decided request (also `vip reject`)."""
    from vipcli.cli.output import info
    from vipcli.domain import labels
    from vipcli.services.core.grants import decided as in_words

    decided = {"id": doc["id"], "status": in_words(doc["status"]), "by": doc["decided_by"]}
    if doc["kind"] == "role_grant":
        info(_("role grant {id} ({staff} → {role}) {status} by {by}").format(
            staff=doc["staff_id"], role=labels.role(doc["role"]), **decided))
        return
    info(_("request {id} ({customer}, {tier}) {status} by {by}").format(
        customer=doc["customer_id"], tier=labels.tier(doc["tier"]), **decided))
