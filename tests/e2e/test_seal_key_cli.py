"""§13, §16: `vip key rotate` and the sealed personal data through the CLI, in Chinese by
default: the rotation's report, its help (a fresh process: help is built on import), and a
reveal without the key."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import factories


@pytest.fixture
def book(engine):
    factories.org(engine)
    factories.customer(engine, "C1", manager_id="M1", phone="13912345678")
    return engine


def test_key_rotate_reports_in_chinese(book, vip, chinese):
    done = vip("--as", "OP1", "key", "rotate")
    assert done.code == 0
    assert "已用新密钥重新加密 1 位客户的手机号和证件号" in done.out and "旧密钥保留在" in done.out


def test_key_rotate_refused_for_a_branch_head_in_chinese(book, vip, chinese):
    done = vip("--as", "H1", "key", "rotate")
    assert done.code == 1 and "轮换个人信息密钥" in done.err and "运维" in done.err


def test_reveal_without_the_key_says_so_in_chinese(book, vip, chinese, tmp_path):
    (tmp_path / "viphome" / "vip.key").unlink()
    done = vip("--as", "M1", "customers", "--reveal")
    assert done.code == 0 and "139****5678" in done.out
    assert "个人信息不可用：未找到密钥文件" in done.err and "仅显示掩码" in done.err


def test_key_rotate_help_is_chinese_with_its_example():
    env = {k: v for k, v in os.environ.items() if k != "VIP_LANG"}
    done = subprocess.run([sys.executable, "-m", "vipcli", "key", "rotate", "--help"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "用新密钥重新加密全部手机号和证件号" in done.stdout
    assert "vip --as S001 key rotate" in done.stdout
