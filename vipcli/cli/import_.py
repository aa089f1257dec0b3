"""`vip import KIND FILE`: load an outlet extract, all rows or none (SPEC §12, §15).

The module is `import_` because `import` is a Python keyword; the command is `vip import`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from vipcli.cli.options import dry_run_option, json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import N_, _

if TYPE_CHECKING:
    from rich.progress import Progress

    from vipcli.errors import ImportRejected

PROGRESS_MIN_BYTES = 5_000_000  # smaller files load in about a second: no bar
# What the rows of each kind are, in the summary line (the KIND argument stays the code).
KIND_ROWS = {
    "branches": N_("branch"), "staff": N_("staff"), "customers": N_("customer"),
    "assets": N_("monthly asset"), "products": N_("product"), "cross-sell": N_("cross-sell rule"),
    "holdings": N_("holding"), "transactions": N_("transaction"),
    "prices": N_("price"), "loans": N_("loan"), "cards": N_("card statement"),
    "leads": N_("lead"),
}

app = typer.Typer()


@app.command("import", help=_(
    "Import an extract: every row is validated, then all rows are written or none.\n\n"
    "Re-importing a file is harmless (rows are upserted by their key). Chinese headers and "
    "labels (simplified or traditional) are accepted. Needs an operator or the branch head, "
    "except branches and staff on a database without staff (the bootstrap).\n\n"
    "Example: vip --as S001 import customers sample_data/customers_gbk.csv --encoding gbk --dry-run"))
def import_extract(
    kind: str = typer.Argument(
        ...,
        metavar="KIND",
        help=_("branches, staff, customers, assets, products, cross-sell, holdings, transactions, "
               "prices, loans, cards or leads."),
    ),
    file: Path = typer.Argument(
        ..., metavar="FILE", help=_("A .csv (UTF-8, UTF-8 with BOM or GBK) or .xlsx file.")),
    encoding: str = typer.Option(
        None, "--encoding", help=_("utf-8, utf-8-sig or gbk (detected when not given).")
    ),
    dry_run: bool = dry_run_option(_("Validate every row and report the counts; write nothing.")),
    progress: bool = typer.Option(
        None, "--progress/--no-progress",
        help=_("Progress bar on stderr (default: large files on a terminal)."),
    ),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.errors import ImportRejected
    from vipcli.services.imports.importer import import_file

    ctx = CURRENT.context()
    try:
        with _ProgressBar(file, progress) as report:
            result = import_file(ctx, kind, file, encoding=encoding, dry_run=dry_run, progress=report)
    except ImportRejected as exc:
        _show_errors(exc, file.name, as_json)
        raise
    present(result, as_json=as_json, render=_render)


def _render(result: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info
    from vipcli.domain import labels

    kind = result["kind"]
    counts = {"file": result["file"], "rows": result["rows"],
              "kind": _(KIND_ROWS[kind]) if kind in KIND_ROWS else kind,
              "inserted": result["inserted"], "updated": result["updated"]}
    if result["dry_run"]:
        info(_("{file}: {rows:,} {kind} rows valid — would insert {inserted:,} and update "
               "{updated:,} (dry run: nothing was written)").format(**counts))
    else:
        info(_("{file}: {rows:,} {kind} rows imported — {inserted:,} inserted, {updated:,} updated")
             .format(**counts))
    for grant in result.get("pending_grants", []):  # §13 maker-checker
        info(_("{staff} → {role} waits for a second operator's approval (vip approvals)")
             .format(staff=grant["staff_id"], role=labels.role(grant["role"])))


def _show_errors(exc: ImportRejected, file_name: str, as_json: bool) -> None:
    """§15: with --json the errors go to stdout as one document; the summary to stderr."""
    from vipcli.cli.output import info, present

    total = getattr(exc, "error_count", len(exc.details))
    if not as_json and not hasattr(exc, "error_count"):
        return  # an unreadable file or header: the one error line says it all

    def render(document: Mapping[str, Any]) -> None:
        for error in exc.details:
            where = {"file": file_name, "row": error["row"], "column": error.get("column"),
                     "message": error["message"]}
            # One line per error, however long: a list to read or grep, like a compiler's.
            if error.get("column"):
                info(_("{file} row {row}, column {column}: {message}").format(**where),
                     soft_wrap=True)
            else:
                info(_("{file} row {row}: {message}").format(**where), soft_wrap=True)
        if total > len(exc.details):
            info(_("… and {count} more").format(count=total - len(exc.details)))

    present({"file": file_name, "error_count": total, "errors": exc.details}, as_json=as_json,
            render=render)


class _ProgressBar:
    """A Rich bar on stderr when asked, or for a large file when stderr is a terminal."""

    def __init__(self, file: Path, wanted: bool | None) -> None:
        if wanted is None:
            size = file.stat().st_size if file.is_file() else 0
            wanted = sys.stderr.isatty() and size >= PROGRESS_MIN_BYTES
        self.wanted = wanted
        self.bar: Progress | None = None

    def __enter__(self) -> Callable[[int, int, int], None] | None:
        if not self.wanted:
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        from vipcli.cli.output import err_console

        bar = self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            TimeRemainingColumn(), console=err_console(), transient=True,
        )
        bar.start()
        task = bar.add_task(_("importing"), total=None)

        def report(done: int, total: int, rows: int) -> None:
            bar.update(task, completed=done, total=total or None,
                       description=_("{rows:,} rows").format(rows=rows))

        return report

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.stop()
