"""`vip quickstart`: the bundled sample outlet, built and shown, with no setup at all."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("quickstart", help=_(
    "Build a demo database from the bundled sample outlet and show its morning.\n\n"
    "Needs no configuration and no identity. The demo lives in the user data directory "
    "(VIP_HOME or ~/.local/share/vip); the command prints the commands to try next, "
    "ready to copy.\n\n"
    "Example: vip quickstart --force"))
def quickstart(
    force: bool = typer.Option(False, "--force", help=_("Rebuild the demo database from scratch.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli import paths
    from vipcli.cli.output import info, present
    from vipcli.cli.views import quickstart as view
    from vipcli.services import demo as demo_service

    path = paths.demo_db_path()
    if not as_json:
        building = force or not path.exists()
        info((_("Building the demo outlet at {path} …") if building
              else _("Opening the demo outlet at {path} …")).format(path=path))
    demo, ctx = demo_service.build_demo(path, CURRENT.loaded_rules(), force=force)
    try:
        morning = demo_service.morning(ctx, demo)
    finally:
        ctx.close()
    program = this_program()
    present(morning, as_json=as_json, render=lambda shown: view.render(demo, shown, program),
            document=lambda shown: {"database": str(path), "built": demo.built,
                                    "imported": demo.imported, **shown,
                                    "try": [cmd for cmd, _why in view.try_next(demo, program)]})


def this_program() -> str:
    """How to start this very vip from the user's shell: `vip` when the `vip` found on PATH
    is this program, else the full path it was started from (a venv not activated), or
    `python -m vipcli` when it was started that way."""
    import os
    import shlex
    import shutil
    import sys
    from pathlib import Path

    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == "vip" and started.is_file():
        on_path = shutil.which("vip")
        if on_path is not None and os.path.samefile(on_path, started):
            return "vip"
        return shlex.quote(str(started.absolute()))
    return f"{shlex.quote(sys.executable)} -m vipcli"
