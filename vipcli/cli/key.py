"""`vip key rotate`: the key that seals the customers' phone and ID numbers (§13)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _, ngettext

app = typer.Typer(help=_("The key that seals the customers' phone and ID numbers."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("rotate", help=_(
    "Seal every phone and ID number again under a new key, in one transaction (operator "
    "only; audited). The new key file takes the old one's place; the old one is kept "
    "beside it as FILE.old-TIMESTAMP (0600) until you destroy it.\n\n"
    "Example: vip --as S001 key rotate"))
def rotate(as_json: bool = json_option()) -> None:
    from vipcli.cli.output import present
    from vipcli.services.core import sealing

    present(sealing.rotate_key(CURRENT.context()), as_json=as_json, render=_render)


def _render(result: Mapping[str, Any]) -> None:
    from vipcli.cli.output import echo

    echo(ngettext("Re-sealed the phone and ID number of {count} customer under a new key.",
                  "Re-sealed the phone and ID numbers of {count} customers under a new key.",
                  result["customers"]).format(count=result["customers"]))
    echo(_("Key file: {path}").format(path=result["key_file"]), soft_wrap=True)
    if result["kept_file"]:
        echo(_("The old key is kept in {path}: keep it with the backups made before today, "
               "or destroy it.").format(path=result["kept_file"]))
