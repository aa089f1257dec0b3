"""The docs stay true: the commands reference is complete and current, every `vip` example
names a real command and real options, relative links resolve, and no comment cites a
file outside this repository."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.main import get_command

from vipcli.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "commands.md"
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md",
        ROOT / "sample_data" / "README.md"]
WRITTEN_DOCS = [doc for doc in DOCS if doc != REFERENCE]  # the reference is the help itself
GLOBAL_OPTIONS_WITH_VALUE = {"--db", "--as", "--rules", "--lang"}


def _visible(group):
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        if command is not None and not command.hidden:
            yield name, command


def _walk(command, path=()):
    yield path, command
    if hasattr(command, "list_commands"):
        for name, sub in _visible(command):
            yield from _walk(sub, (*path, name))


def _options(command) -> list[str]:
    return [opt for param in command.params if not getattr(param, "hidden", False)
            for opt in (*param.opts, *getattr(param, "secondary_opts", ())) if opt.startswith("-")]


ROOT_COMMAND = get_command(app)
COMMANDS = list(_walk(ROOT_COMMAND))


def _title(path) -> str:
    return " ".join(("vip", *path))


def _section(text: str, title: str) -> str | None:
    """The text under the heading `## vip …` / `### vip …` up to the next heading."""
    match = re.search(rf"^#{{2,3}} {re.escape(title)}\n(.*?)(?=^#{{1,3}} |\Z)", text, re.M | re.S)
    return match.group(1) if match else None


def test_the_reference_is_up_to_date():
    # In a fresh process: the reference is in Chinese, this process's command tree in English.
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "cogapp", "--check", "--diff", str(REFERENCE)],
                          capture_output=True, text=True, env={**os.environ, "VIP_LANG": "zh_CN"})
    assert done.returncode == 0, \
        f"docs/commands.md is stale: run `.venv/bin/cog -r docs/commands.md`\n{done.stdout[-3000:]}"


@pytest.mark.parametrize("path,command", COMMANDS, ids=[_title(p) for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_reference(path, command):
    section = _section(REFERENCE.read_text(encoding="utf-8"), _title(path))
    assert section is not None, f"`{_title(path)}` has no section in docs/commands.md"
    missing = [opt for opt in _options(command)
               if not re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", section)]
    assert not missing, f"`{_title(path)}` options missing from docs/commands.md: {missing}"


# --- every `vip …` in the docs names a real command and real options --------------------

SHELL_OPERATORS = {"&&", "||", "|", ";", ">", ">>", "<", "2>", "&"}


def _code(text: str) -> list[str]:
    """Fenced code blocks (continuation lines joined) and inline code spans, one per line."""
    lines = []
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S):
        lines += block.replace("\\\n", " ").splitlines()
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.M | re.S)
    lines += [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]
    return lines


def _invocations(line: str):
    try:
        tokens = shlex.split(line, comments=True)
    except ValueError:  # an unbalanced quote in a code span is not a command
        return
    for i, token in enumerate(tokens):
        after_option = i > 0 and tokens[i - 1].startswith("-")  # `--before /tmp/x/bin/vip`
        if (token == "vip" or token.endswith("/bin/vip")) and not after_option:
            rest = tokens[i + 1:]
            end = next((j for j, t in enumerate(rest) if t in SHELL_OPERATORS), len(rest))
            yield rest[:end]


def _unknown(args: list[str]) -> list[str]:
    """What in one `vip …` invocation is not a command or option of the live program."""
    problems, command, path = [], ROOT_COMMAND, []
    args = [a.strip("[]") for a in args]
    while args and args[0].startswith("--"):  # global options come first
        option = args.pop(0).split("=")[0]
        if option not in {*_options(ROOT_COMMAND), "--help"}:
            problems.append(f"vip {option}")
        elif option in GLOBAL_OPTIONS_WITH_VALUE and args:
            args.pop(0)
    while hasattr(command, "list_commands") and args and not args[0].startswith("-"):
        word = args[0]
        if "|" in word or word.isupper() or word in {"…", "..."}:  # a placeholder
            return problems
        sub = command.get_command(None, word)
        if sub is None:
            if not getattr(command, "invoke_without_command", False):
                problems.append(f"{_title(path)} {word}: no such command")
            return problems
        if sub.hidden:
            problems.append(f"{_title((*path, word))}: a hidden alias; use the documented name")
        command, path = sub, [*path, word]
        args.pop(0)
    known = {*_options(command), "--help"}
    for arg in args:
        if arg.startswith("--") and arg.split("=")[0] not in known:
            problems.append(f"{_title(path)} {arg.split('=')[0]}: no such option")
    return problems


@pytest.mark.parametrize("doc", WRITTEN_DOCS, ids=[str(d.relative_to(ROOT)) for d in WRITTEN_DOCS])
def test_every_vip_example_names_a_real_command_and_options(doc):
    problems = []
    for line in _code(doc.read_text(encoding="utf-8")):
        for args in _invocations(line):
            problems += [f"{p}   (in: {line.strip()})" for p in _unknown(args)]
    assert not problems, "\n".join(problems)


def test_every_help_example_names_a_real_command_and_options():
    problems = []
    for path, command in COMMANDS:
        for example in re.findall(r"Example:\s*(.+)", command.help or ""):
            for args in _invocations(example):
                problems += [f"{_title(path)} --help: {p}   (in: {example})" for p in _unknown(args)]
    assert not problems, "\n".join(problems)


def test_the_example_checker_catches_a_stale_example():
    assert _unknown(["--as", "S004", "no-such-command"])
    assert _unknown(["--as", "S005", "due", "--no-such-option"])
    assert not _unknown(["--as", "S005", "due", "--staff", "S006"])


# --- links -------------------------------------------------------------------------------

def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def _links(text: str) -> list[str]:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return re.findall(r"\]\(([^)\s]+)\)", text)


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_every_relative_link_resolves(doc):
    broken = []
    for link in _links(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        path = (doc.parent / target).resolve() if target else doc
        if not path.exists():
            broken.append(f"{link}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{link}: no heading with that anchor")
    assert not broken, f"{doc.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_readme_links_every_doc():
    links = _links(README.read_text(encoding="utf-8"))
    for doc in ("docs/commands.md", "docs/rules.md", "docs/design.md", "bench/README.md"):
        assert doc in links


def test_the_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)\n```", text, re.M | re.S)
    assert text.index(blocks[1]) < text.index("\n## "), "the two commands come before any section"
    assert ". .venv/bin/activate" in blocks[0] and blocks[0].endswith("&& vip quickstart")
    assert blocks[1].startswith("python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'")
    for step in ("ruff check", ".venv/bin/mypy", ".venv/bin/lint-imports", ".venv/bin/pytest"):
        assert step in blocks[1]


def test_ci_runs_the_readmes_test_command():
    blocks = re.findall(r"^```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.M | re.S)
    assert blocks[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


# --- citations ---------------------------------------------------------------------------

CODE_TREES = ("vipcli", "tests", "bench", "migrations", "sample_data")
OUTSIDE = re.compile(
    r"PERFORMANCE\.md|SPEC\.md|NOTES\.md|STYLE\.md|handbook\.txt|shared/"
    r"|\bSTYLE\b|\bPERFORMANCE\b|\bNOTES\b|\bSPEC\b(?! §)"
)
MD_PATH = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.md)\b")
SECTION_CITATION = re.compile(r"((?:[\w-]+/)*[\w-]+\.md|README),? \"([^\"]+)\"")


def _sources():
    for tree in CODE_TREES:
        for path in sorted((ROOT / tree).rglob("*")):
            if path.suffix in {".py", ".md", ".mako", ".toml"} and path != Path(__file__).resolve():
                yield path


def _doc_path(cited: str, source: Path) -> Path | None:
    for base in (ROOT, ROOT / "docs", source.parent):
        if (base / cited).exists():
            return base / cited
    return None


def _has_heading(doc: Path, words: str) -> bool:
    headings = re.findall(r"^#{1,6} (.+)$", doc.read_text(encoding="utf-8"), re.M)
    return any(words.lower() in heading.lower() for heading in headings)


def test_no_comment_cites_a_file_outside_the_repository():
    problems = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            outside = OUTSIDE.search(line)
            if outside:
                problems.append(f"{where}: cites {outside.group(0)!r}; cite the spec by §N or a doc in this repository")
                continue
            for cited in MD_PATH.findall(line):
                if _doc_path(cited, path) is None:
                    problems.append(f"{where}: cites {cited}, which is not in this repository")
            for cited, heading in SECTION_CITATION.findall(line):
                doc = _doc_path("README.md" if cited == "README" else cited, path)
                if doc is not None and not _has_heading(doc, heading):
                    problems.append(f"{where}: cites {cited} \"{heading}\", which has no such heading")
    assert not problems, "\n".join(problems)
