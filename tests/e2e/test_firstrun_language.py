"""§16: Typer's own words — the help page's chrome and the usage errors — speak the
outlet's language: Simplified Chinese by default, English on request (`--lang` before
`VIP_LANG`), and an unknown language is refused naming it. Help is built when the command
modules load, so these run `vip` in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def vip(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VIP_LANG"}
    if lang is not None:
        env["VIP_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "vipcli", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_root_help_is_chinese_by_default_chrome_included():
    done = vip("--help")
    assert done.returncode == 0
    assert "用法：" in done.stdout and "选项" in done.stdout and "命令" in done.stdout
    assert "显示本帮助并退出" in done.stdout and "银行网点贵宾客户关系管理" in done.stdout
    assert "Usage:" not in done.stdout and "Show this message" not in done.stdout
    assert "界面语言" in done.stdout  # the global options' help too


def test_a_subcommand_help_has_the_chinese_chrome():
    done = vip("quickstart", "--help", lang="zh_CN")
    assert done.returncode == 0 and done.stdout.startswith("用法：")
    assert "显示本帮助并退出" in done.stdout and "Options" not in done.stdout


@pytest.mark.parametrize(("args", "said"), [
    (["--bogus"], "没有这个选项：--bogus"),
    (["nosuch"], "没有 'nosuch' 这个命令"),
    (["due", "--limit", "x"], "'--limit' 的值无效：'x' 不是整数"),
    (["due", "--limit"], "选项 '--limit' 需要一个值"),
    (["show"], "缺少参数 'CUSTOMER'"),
    (["due", "extra"], "多余的参数（extra）"),
])
def test_usage_errors_are_chinese_with_the_usage_and_the_hint(args, said):
    done = vip(*args, lang="zh_CN")
    assert done.returncode == 2 and done.stdout == ""
    assert said in done.stderr, done.stderr
    assert "错误：" in done.stderr and "Error:" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_usage_error_shows_the_usage_line_and_where_help_is():
    done = vip("due", "--limit", "x", lang="zh_CN")
    assert "用法：vip due [OPTIONS]" in done.stderr or "用法：" in done.stderr.splitlines()[0]
    assert "查看帮助" in done.stderr


def test_english_stays_english():
    done = vip("--help", lang="en")
    assert "Usage:" in done.stdout and "Options:" in done.stdout
    assert "Show this message and exit." in done.stdout and "用法" not in done.stdout
    wrong = vip("--bogus", lang="en")
    assert wrong.returncode == 2 and "Error: No such option: --bogus" in wrong.stderr
    assert "Try 'vip --help' for help." in wrong.stderr or "for help." in wrong.stderr


def test_lang_on_the_command_line_beats_vip_lang():
    assert "Usage:" in vip("--lang", "en", "--help", lang="zh_CN").stdout
    assert "用法：" in vip("--lang", "zh_CN", "--help", lang="en").stdout


def test_an_unknown_language_is_refused_naming_it():
    done = vip("--lang", "fr", "config", "show")
    assert done.returncode == 2
    assert "'fr'" in done.stderr and "zh_CN" in done.stderr and "Traceback" not in done.stderr
    english = vip("--lang", "klingon", "db", "current", lang="en")
    assert english.returncode == 2 and "'klingon' is not a language vip speaks" in english.stderr


def test_the_error_frame_is_chinese():
    done = vip("--as", "S005", "due", "--as-of", "2026-13-01", lang="zh_CN")
    assert done.returncode == 1
    assert done.stderr.startswith("错误：") and len(done.stderr.strip().splitlines()) == 1
