"""`vip restore FILE`: put a backup in place of the live database, the old one kept (SPEC §13)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("restore", help=_(
    "Replace the database with a checked backup (operator; audited). The live database and "
    "its -wal/-shm files are moved aside under a timestamped name, never deleted. Run it while "
    "nobody else is using vip.\n\nExample: vip --as S001 restore /backups/vip-2026-11-28.db"))
def restore(
    backup_file: str = typer.Argument(..., metavar="FILE",
                                      help=_("A backup written by `vip backup`.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.services.core import backup as service

    loaded = CURRENT.loaded_rules()
    done = service.restore(CURRENT.resolved_db(), backup_file, CURRENT.resolved_actor(),
                           busy_timeout_ms=loaded.rules.database.busy_timeout_seconds * 1000,
                           identity=loaded.rules.identity)
    present(done, as_json=as_json, render=_render)


def _render(done: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info

    info(_("restored {database} from {backup} (schema {revision})").format(
        database=done["database"], backup=done["restored_from"], revision=done["revision"]))
    for path in done["moved_aside"]:
        info("  " + _("the previous file is kept as {path}").format(path=path))
