"""`vip backup FILE`: a checked, consistent copy of the SQLite database (SPEC §13)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("backup", help=_(
    "Write a consistent, integrity-checked copy of the SQLite database (operator only: it "
    "holds every outlet; audited). The copy appears at FILE only once complete; missing "
    "folders are made 0700. Prints the latest hash of the copy's audit log, to write down."
    "\n\nExample: vip --as S001 backup /backups/vip-2026-11-28.db"))
def backup(
    output: str = typer.Argument(..., metavar="FILE",
                                 help=_("Where to write the copy (mode 0600).")),
    force: bool = typer.Option(False, "--force",
                               help=_("Replace FILE if it exists (never the database).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.services.core import backup as service

    # Not migrated first: the backup taken before an upgrade holds the schema before it.
    done = service.backup(CURRENT.context(migrate=False), output, force=force)
    present(done, as_json=as_json, render=_render)


def _render(done: Mapping[str, Any]) -> None:
    from vipcli.cli.output import echo, info

    info(_("backup written to {file} (checked; readable by its owner only)").format(file=done["file"]))
    chain = done["audit"]
    if chain is not None:  # §13: written down outside the database, it proves the log later
        echo(_("its audit log ends at entry {id}; latest hash (write it down; `vip audit verify "
               "--hash` checks it later):").format(id=chain["latest_id"]))
        echo(chain["latest_hash"], soft_wrap=True)
