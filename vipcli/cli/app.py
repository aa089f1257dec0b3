"""The `vip` command: global options, the command modules joined, the one error renderer.

One module per command group, named after its command, each with its own `typer.Typer()`
(Typer's "one module per command group"): a group (`vip risk …`) is added here with its
name; a top-level command's module has a nameless Typer whose command Typer merges into
this one (`app.add_typer(module.app)`, supported by the installed Typer). No module
registers another's commands; `vip --help` lists them in the order they are added below.

`vip report` is the one group for reports; `vip reports`, the old spelling, stays as a
hidden alias so scripts keep working (see vipcli.cli.report).

A command parses its options, calls one service and hands the result to
`output.present`, which prints the §15 JSON document or calls the command's renderer.
Renderers longer than a status line live in vipcli.cli.views (`views.due` for `vip due`):
every command module is compiled and loaded for `vip --help`, the views only when a
result is shown on a terminal.

Only Typer is imported at module level (Ruff TID253): every command imports what it
needs inside its function, so `vip --help` and `vip due` stay fast. The command modules
and cli/options.py do without `from __future__ import annotations`: Typer reads every
command's and option callback's signature to build the tree on each run, and a string
annotation costs an eval (≈ 14 ms of `vip --help`; bench/bench_before_after.py).
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import typer
from typer._click.core import Command as ClickCommand
from typer._click.formatting import HelpFormatter

from vipcli.cli import (
    activity,
    admit,
    appointment,
    approvals,
    approve,
    assign,
    audit,
    backup,
    complaint,
    config,
    customer,
    customers,
    db,
    decline,
    diagnose,
    due,
    export,
    handover,
    import_,
    journal,
    key,
    lead,
    lobby,
    log_contact,
    opp,
    plan,
    quickstart,
    recommend,
    reject,
    report,
    restore,
    risk,
    screen,
    segment,
    show,
    sign,
    target,
)
from vipcli.cli.state import CURRENT
from vipcli.i18n import N_, _

app = typer.Typer(
    name="vip",
    help=_("VIP customer relationship management for a bank outlet.\n\n"
           "Example: vip --as S005 due"),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
)


def _known_language(value: str | None) -> str | None:
    from vipcli import i18n

    if value is not None and i18n.normalise(value) is None:
        raise typer.BadParameter(
            _("{value!r} is not a language vip speaks (zh_CN, en)").format(value=value))
    return value


@app.callback()
def root(
    ctx: typer.Context,
    db: str = typer.Option(
        None, "--db", metavar="PATH_OR_URL", help=_("Database file or SQLAlchemy URL [env VIP_DB].")
    ),
    as_: str = typer.Option(
        None, "--as", metavar="STAFF_ID", help=_("Acting staff member [env VIP_USER].")
    ),
    rules: str = typer.Option(None, "--rules", metavar="FILE", help=_("Rules file (TOML) [env VIP_RULES].")),
    lang: str = typer.Option(
        None, "--lang", metavar="LANG", callback=_known_language,
        help=_("Language of the screens: zh_CN (default) or en [env VIP_LANG]."),
    ),
) -> None:
    """The global options (§15); the help is the Typer's own, above."""
    CURRENT.db = db
    CURRENT.actor_id = as_
    CURRENT.rules = rules
    CURRENT.command = ctx.invoked_subcommand


# Getting started and the customer base.
app.add_typer(quickstart.app)
app.add_typer(import_.app)
app.add_typer(customers.app)
# The lifecycle (§1, §3): screening, signing, special admission.
app.add_typer(screen.app)
app.add_typer(sign.app)
app.add_typer(decline.app)
app.add_typer(admit.app)
app.add_typer(approvals.app)
app.add_typer(approve.app)
app.add_typer(reject.app)
# Allocation (§2), contact (§5, §6), sales (§7, §8), the routine (§4, §9 – §11).
app.add_typer(assign.app)
app.add_typer(handover.app)
app.add_typer(due.app)
app.add_typer(log_contact.app)
app.add_typer(recommend.app)
app.add_typer(diagnose.app)
app.add_typer(export.app)
app.add_typer(show.app)
app.add_typer(lobby.app)
app.add_typer(segment.app)
# Administration.
app.add_typer(audit.app)
app.add_typer(backup.app)
app.add_typer(restore.app)
# The groups.
app.add_typer(risk.app, name="risk")
app.add_typer(report.reports_alias, name="reports", hidden=True)
app.add_typer(opp.app, name="opp")
app.add_typer(target.app, name="target")
app.add_typer(activity.app, name="activity")
app.add_typer(journal.app, name="journal")
app.add_typer(appointment.app, name="appointment")
app.add_typer(plan.app, name="plan")
app.add_typer(lead.app, name="lead")
app.add_typer(complaint.app, name="complaint")
app.add_typer(customer.app, name="customer")
app.add_typer(db.app, name="db")
app.add_typer(key.app, name="key")
app.add_typer(config.app, name="config")
app.add_typer(report.app, name="report")


def _render_error(message: str) -> None:
    typer.secho(_("error: {message}").format(message=message), fg=typer.colors.RED, err=True)


# Typer's own words (§16). Its vendored Click writes "Usage: ", the help option's text and
# its usage errors as English literals (only "Options", "Commands", "Missing command" …
# go through gettext). The supported hooks: a Context class (`Command.context_class`)
# whose formatter writes the usage prefix and which gives the help option its text, and
# non-standalone mode, in which Click hands its usage errors back to `run` to render.


def _cells(text: str) -> int:
    """Terminal cells of a text: a CJK character takes two (§16: 80 columns)."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Help text wrapped by terminal cells: paragraphs (blank-line separated) are refilled,
    a paragraph after a `\\b` line is kept as written (Click's convention); an ASCII word
    never breaks, Chinese breaks between characters."""
    lines: list[str] = []
    for number, paragraph in enumerate(re.split(r"\n\s*\n", text.strip())):
        if number:
            lines.append("")
        raw = paragraph.splitlines()
        if raw and raw[0].strip() == "\b":
            lines.extend(indent + line for line in raw[1:])
            continue
        tokens = re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+", " ".join(
            line.strip() for line in raw))
        line = ""
        for token in tokens:
            if token.isspace():
                token = " "
            if line and _cells(indent + line + token.rstrip()) > width:
                lines.append(indent + line.rstrip())
                line = "" if token == " " else token
            else:
                line += token
        if line.strip():
            lines.append(indent + line.rstrip())
    return lines


class _Formatter(HelpFormatter):
    """Click's help layout, measured in terminal cells so Chinese help fits 80 columns."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}" + _("{heading}:").format(heading=heading) + "\n")

    def write_text(self, text: str) -> None:
        for line in _wrap(text, self.width, " " * self.current_indent):
            self.write(line + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((_cells(first) for first, _second in rows), default=0), col_max)
        first_col += col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - self.current_indent, 10)
            wrapped = _wrap(second, text_width) or [""]
            self.write(wrapped[0] + "\n")
            for line in wrapped[1:]:
                pad = " " * (first_col + self.current_indent) if line else ""
                self.write(pad + line + "\n")


class _Context(typer.Context):
    formatter_class = _Formatter

    def get_help(self) -> str:
        option = self.command.get_help_option(self)
        if option is not None:
            option.help = _("Show this message and exit.")
        return super().get_help()


def _speaking(command: ClickCommand) -> ClickCommand:
    """The command tree with the translated chrome on every command (idempotent)."""
    command.context_class = _Context
    if not command.short_help and command.help:
        command.short_help = _first_sentence(command.help)
    for sub in getattr(command, "commands", {}).values():
        _speaking(sub)
    return command


def _first_sentence(help_text: str) -> str:
    """The command list's line for a command: its help's first sentence, whole, never cut
    with "..." (Click cuts by characters, which halves a Chinese sentence); a long first
    sentence is taken up to its colon."""
    first = re.split(r"(?<=[。.!！])\s|。|\n\s*\n", help_text.strip(), maxsplit=1)[0].strip()
    if _cells(first) > 48:
        first = re.split(r"[：:；;]", first, maxsplit=1)[0].strip()
        for opening, closing in (("(", ")"), ("（", "）")):
            if first.count(opening) > first.count(closing):  # never half a parenthesis
                first = first[:first.rindex(opening)].strip()
    return first.rstrip("。.")


def _usage_error(exc: Exception) -> int | None:
    """A Click usage error (or abort) rendered like Click does, in the active language;
    None for anything else."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
    from typer.exceptions import Abort

    if isinstance(exc, Abort):
        typer.echo(_("Aborted!"), err=True)
        return 1
    if not isinstance(exc, UsageError):
        return None
    if isinstance(exc, NoArgsIsHelpError):
        typer.echo(exc.format_message(), err=True)
        return exc.exit_code
    ctx = exc.ctx
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]) + "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", err=True, color=ctx.color)
    typer.echo(_("Error: {message}").format(message=_usage_problem(exc)), err=True,
               color=None if ctx is None else ctx.color)
    return exc.exit_code


_EXTRA_ARGS = re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)$", re.S)


def _usage_problem(exc: Any) -> str:
    """What Click's usage error (a UsageError) says, from its attributes, in the active language."""
    from typer._click.exceptions import (
        BadOptionUsage,
        BadParameter,
        MissingParameter,
        NoSuchOption,
    )

    if isinstance(exc, MissingParameter):
        name = _param_hint(exc)
        if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "argument":
            text = _("Missing argument {name}.").format(name=name)
        else:
            text = _("Missing option {name}.").format(name=name)
        extra = exc.param.get_missing_message(ctx=exc.ctx) if exc.param is not None else ""
        if extra:  # "Choose from: …" — the choices themselves are codes
            choices = extra.split(":", 1)[1] if ":" in extra else extra
            text += " " + _("Choose from:{choices}").format(choices=choices)
        return text
    if isinstance(exc, BadParameter):
        detail = _validation_problem(exc) or exc.message
        if exc.param_hint is None and exc.param is None:
            return _("Invalid value: {problem}").format(problem=detail)
        return _("Invalid value for {name}: {problem}").format(name=_param_hint(exc), problem=detail)
    if isinstance(exc, NoSuchOption):
        text = _("No such option: {name}").format(name=exc.option_name)
        if exc.possibilities:
            text += " " + _("(Possible options: {options})").format(
                options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, BadOptionUsage):
        return _option_usage_problem(exc)
    extra_args = _EXTRA_ARGS.match(exc.message)
    if extra_args:
        return _("Got unexpected extra argument(s) ({args})").format(args=extra_args["args"])
    return str(exc.message)


def _param_hint(exc: Any) -> str:
    hint = exc.param_hint if exc.param_hint is not None else (
        exc.param.get_error_hint() if exc.param is not None else "")
    if not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint


_NEEDS_VALUE = re.compile(r"Option (?P<name>'.*') requires (an argument|\d+ arguments)\.$")
_TAKES_NO_VALUE = re.compile(r"Option (?P<name>'.*') does not take a value\.$")


def _option_usage_problem(exc: Any) -> str:
    """`--limit` given without its value, or a flag given one (Click's parser raises these
    without a context, so the option's name and the case come from its message)."""
    for pattern, msgid in ((_NEEDS_VALUE, N_("Option {name} requires a value.")),
                           (_TAKES_NO_VALUE, N_("Option {name} does not take a value."))):
        found = pattern.match(exc.message)
        if found:
            return _(msgid).format(name=found["name"])
    return str(exc.message)


def _validation_problem(exc: Exception) -> str | None:
    """Typer checks a value's type with pydantic: the common refusals in plain words."""
    cause = exc.__cause__
    if cause is None or not hasattr(cause, "errors"):
        return None
    errors = cause.errors()
    if not errors:
        return None
    kind = errors[0].get("type", "")
    given = errors[0].get("input")
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("{value!r} is not a whole number").format(value=given)
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return _("{value!r} is not a number").format(value=given)
    if kind in ("bool_parsing", "bool_type"):
        return _("{value!r} is not yes or no").format(value=given)
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("{value!r} is not a date YYYY-MM-DD").format(value=given)
    if kind in ("enum", "literal_error"):
        expected = errors[0].get("ctx", {}).get("expected", "")
        return _("{value!r} is not one of {choices}").format(value=given, choices=expected)
    return None


def command_tree() -> ClickCommand:
    """The Click command tree of `vip` as a user sees it, with Typer's chrome translated
    (for `run`, and for docs/commands.md, which is generated from it)."""
    import typer.main

    _light_runtime_params()
    return _speaking(typer.main.get_command(app))


def _light_runtime_params() -> None:
    """Typer (0.29) checks each option's value with a pydantic TypeAdapter that it builds on
    first use, also for an option left out and for text given to a text option, where the
    check changes nothing; building the first one imports pydantic (≈ 60 ms, a fifth of
    `vip due`: issue 12's figure, bench/README.md). Here those two take the value as it is;
    any other value still goes through Typer's own adapter, built when it is needed."""
    from dataclasses import dataclass

    try:  # Typer's internals: on another Typer release, simply its own (slower) way
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:
        return
    if not hasattr(_TyperParameter, "get_runtime_param"):
        return

    if getattr(_TyperParameter, "_vip_light", False):
        return

    @dataclass(frozen=True)
    class Light(RuntimeParam):
        # RuntimeParam.coerce returns None (or ()) for a value left out before calling this.
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.annotation is str and isinstance(value, str):
                return value  # what Typer's adapter for str returns for text
            param._runtime_param = real = build_runtime_param(param.type_descriptor)
            return real._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> RuntimeParam:
        if self._runtime_param is None:
            d = self.type_descriptor
            if (d.file_annotation is None and d.parameter_info.parser is None
                    and not d.is_path and not d.is_choice):
                self._runtime_param = Light(parameter_info=d.parameter_info, annotation=d.annotation)
            else:
                self._runtime_param = build_runtime_param(d)
        return self._runtime_param

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    _TyperParameter._vip_light = True  # type: ignore[attr-defined]


def run(args: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; VipError and pydantic errors become one line.

    Typer runs in non-standalone mode so that its usage errors come back here and are
    rendered in the active language (`_usage_error`); its own help pages get the
    translated chrome through `_speaking`.
    """
    from vipcli import i18n
    from vipcli.errors import VipError

    argv = sys.argv[1:] if args is None else args
    i18n.activate(i18n.choose(argv, os.environ))
    code = 3
    try:
        command = command_tree()
        result = command.main(args=argv, standalone_mode=False)
        code = result if isinstance(result, int) else 0
        if code == 130:  # Ctrl-C inside a command: Click turns it into Exit(130)
            _render_error(_("interrupted; nothing was committed by the interrupted step"))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except VipError as exc:
        _render_error(exc.message)
        code = exc.exit_code
    except KeyboardInterrupt:
        _render_error(_("interrupted; nothing was committed by the interrupted step"))
        code = 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        shown = _usage_error(exc)
        code = shown if shown is not None else _render_unexpected(exc)
    finally:
        CURRENT.close(failed=code != 0)
    return code


def _render_unexpected(exc: Exception) -> int:
    """Known library failures get one line; anything else is a bug and says so."""
    name = type(exc).__module__ + "." + type(exc).__name__
    if name.startswith("pydantic"):
        from pydantic import ValidationError

        from vipcli.config import describe_validation_error

        if isinstance(exc, ValidationError):
            _render_error(_("invalid input: {problem}").format(problem=describe_validation_error(exc)))
            return 1
    if name.startswith("sqlalchemy"):
        orig = getattr(exc, "orig", exc)
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        _render_error(_("database error: {problem}").format(problem=first))
        return 2
    if os.environ.get("VIP_DEBUG"):
        raise exc
    _render_error(_("internal error ({kind}: {problem}); set VIP_DEBUG=1 for details")
                  .format(kind=type(exc).__name__, problem=exc))
    return 3


def main() -> None:
    code = run()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown (≈0.2 s with SQLAlchemy loaded): output is flushed and
    # the database closed in run().
    os._exit(code)
