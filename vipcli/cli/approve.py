"""`vip approve`: approve a special admission request (SPEC §3)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import MAX_ID, json_option, whole_number
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("approve")
def approve(
    request_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID)),
    as_json: bool = json_option(),
) -> None:
    """Approve a special admission request, or (operators) a pending role grant; never your
    own (audited).

    Example: vip --as AP2 approve 7
    """
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.admission import approve as approve_request

    present(approve_request(CURRENT.context(), request_id), as_json=as_json, render=render_decision)


def render_decision(doc: Mapping[str, Any]) -> None:
    """One line for a decided request (also `vip reject`)."""
    from vipcli.cli.output import info

    if doc["kind"] == "role_grant":
        info(f"role grant {doc['id']} ({doc['staff_id']} → {doc['role']}) {doc['status']} "
             f"by {doc['decided_by']}")
        return
    info(f"request {doc['id']} ({doc['customer_id']}, {doc['tier']}) {doc['status']} "
         f"by {doc['decided_by']}")
