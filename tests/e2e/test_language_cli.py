"""§16 across the whole program: every command's and option's help speaks Simplified
Chinese by default and English on request, and no Chinese text in the code is Traditional
(except the input spellings an import accepts in either script)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")

# Walks the command tree in a fresh process (help texts are translated when it loads).
DUMP = """
import json
from typer.main import get_command
from vipcli.cli.app import app

def walk(command, path):
    yield path, command
    if hasattr(command, "list_commands"):
        for name in command.list_commands(None):
            sub = command.get_command(None, name)
            if sub is not None and not sub.hidden:
                yield from walk(sub, [*path, name])

out = []
for path, command in walk(get_command(app), ["vip"]):
    out.append({"path": " ".join(path), "what": "command", "help": command.help or ""})
    for param in command.params:
        if getattr(param, "hidden", False) or param.name == "help":
            continue
        out.append({"path": " ".join(path), "what": param.opts[0] if param.opts else param.name,
                    "kind": param.param_type_name, "help": getattr(param, "help", None) or ""})
print(json.dumps(out))
"""


def _help_texts(lang: str) -> list[dict[str, str]]:
    env = {**os.environ, "VIP_LANG": lang}
    done = subprocess.run([sys.executable, "-c", DUMP], capture_output=True, text=True,
                          env=env, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def test_every_command_and_option_has_chinese_help_by_default():
    env_lang = os.environ.pop("VIP_LANG")
    try:
        texts = _help_texts("zh_CN")
    finally:
        os.environ["VIP_LANG"] = env_lang
    # A positional argument may go without help (the usage line names it); with help, Chinese.
    english = [f"{t['path']} {t['what']}: {t['help']!r}" for t in texts
               if not CJK.search(t["help"]) and (t["help"] or t.get("kind") != "argument")]
    assert not english, f"{len(english)} help texts not in Chinese, e.g. {english[:5]}"


def test_english_help_is_english():
    texts = _help_texts("en")
    commands = [t for t in texts if t["what"] == "command"]
    assert commands and all(t["help"] and not CJK.search(t["help"].split("Example")[0])
                            for t in commands if t["path"] != "vip"), \
        [t["path"] for t in commands if CJK.search(t["help"].split("Example")[0])][:5]


def _chinese_literals(path: Path):
    """Chinese string constants a user may see: docstrings (read by developers) left out."""
    source = path.read_text(encoding="utf-8")
    accepted = {n for n, line in enumerate(source.splitlines(), 1) if "# either script" in line}
    tree = ast.parse(source)
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings and node.lineno not in accepted
                and CJK.search(node.value)):
            yield node.lineno, node.value


# Spellings accepted in data, in both scripts (§16: input accepts either): the import
# labels and header aliases, and compound surnames as an imported name may hold them;
# elsewhere a line marked `# either script` holds such accepted spellings.
INPUT_SPELLINGS = {"vipcli/domain/vocabulary.py", "vipcli/domain/address.py"}


def test_no_traditional_chinese_in_the_code_outside_accepted_spellings():
    from opencc_purepy import OpenCC

    t2s = OpenCC("t2s")
    found = []
    for path in sorted((ROOT / "vipcli").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in INPUT_SPELLINGS:
            continue
        for line, text in _chinese_literals(path):
            if t2s.convert(text) != text:
                found.append(f"{rel}:{line}: {text[:40]!r}")
    assert not found, f"{len(found)} Traditional texts, e.g. {found[:8]}"


@pytest.mark.parametrize("name", ["customers.csv", "staff.csv", "products.csv",
                                  "cross_sell.csv", "branches.csv"])
def test_the_sample_outlet_is_simplified_chinese(name):
    from opencc_purepy import OpenCC

    text = (ROOT / "sample_data" / name).read_text(encoding="utf-8")
    assert OpenCC("t2s").convert(text) == text
