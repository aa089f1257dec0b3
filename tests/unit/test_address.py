"""§9 lobby rules on plain values: how to address, priority, place, service, routing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vipcli.domain import address
from vipcli.domain.address import COMPOUND_SURNAMES, address_as, place, priority, route, surname


@pytest.mark.parametrize(
    ("name", "expected"),
    [("王小明", "王"), ("李四", "李"), ("歐陽明", "歐陽"), ("欧阳明", "欧阳"), ("司馬光", "司馬"),
     ("司马光", "司马"), ("諸葛亮", "諸葛"), ("诸葛亮", "诸葛"), ("上官婉兒", "上官"),
     ("東方朔", "東方"), ("东方朔", "东方"), ("皇甫謐", "皇甫"), ("尉遲恭", "尉遲"), ("尉迟恭", "尉迟"),
     ("公孫勝", "公孫"), ("公孙胜", "公孙"), ("慕容復", "慕容"), ("令狐沖", "令狐"), ("夏侯惇", "夏侯"),
     ("長孫無忌", "長孫"), ("长孙无忌", "长孙"), ("宇文泰", "宇文"), ("司徒雷", "司徒"), ("端木賜", "端木"),
     ("獨孤求敗", "獨孤"), ("独孤求败", "独孤")],
)
def test_surname_keeps_compound_surnames_whole_in_both_scripts(name, expected):
    assert surname(name) == expected


def test_single_character_surname_is_not_mistaken_for_compound():
    # 司 alone and 歐 alone are ordinary single surnames when not followed by the second char
    assert surname("司琴") == "司"
    assert surname("歐明") == "歐"


def test_address_by_gender():
    assert address_as("王小明", "M") == "王先生"
    assert address_as("歐陽娜娜", "F") == "歐陽女士"
    assert address_as("欧阳娜娜", "f") == "欧阳女士"


def test_unknown_gender_is_addressed_neutrally():
    assert address_as("歐陽明", None) == "歐陽贵宾"  # the surname as stored, 贵宾 Simplified
    assert address_as("李四", "") == "李贵宾"


def test_surrounding_spaces_are_ignored():
    assert address_as("  諸葛亮 ", "M") == "諸葛先生"


@given(st.sampled_from(sorted(COMPOUND_SURNAMES)), st.text(alphabet="明華偉芳娜強", min_size=1, max_size=2))
def test_any_compound_surname_with_any_given_name_is_kept(family, given_name):
    assert surname(family + given_name) == family


def test_priority_order_diamond_platinum_gold_others():
    assert [priority(t) for t in ("diamond", "platinum", "gold", None)] == [1, 2, 3, 4]


def test_vip_room_for_diamond_and_platinum_only():
    assert place("diamond") == place("platinum") == "VIP room"
    assert place("gold") == place(None) == "as the outlet decides"


def test_five_ones_for_diamond_with_premium_tea():
    items = address.service_standard("diamond", other_outlet=False)
    assert len(items) == 5
    assert any("premium tea" in i for i in items)
    assert not any("introduction" in i for i in items)


def test_five_ones_for_platinum_with_mid_grade_tea():
    items = address.service_standard("platinum", other_outlet=False)
    assert len(items) == 5
    assert any("mid-grade tea" in i for i in items) and not any("premium" in i for i in items)


def test_other_outlets_vip_gets_the_outlet_introduction_leaflet():
    assert any("introduction" in i for i in address.service_standard("diamond", other_outlet=True))
    assert any("introduction" in i for i in address.service_standard("platinum", other_outlet=True))


def test_two_ones_for_gold():
    items = address.service_standard("gold", other_outlet=True)
    assert len(items) == 2
    assert items == ["A greeting", "A leaflet of hot products"]


def test_own_outlet_customer_with_manager_goes_to_own_manager():
    for tier in ("diamond", "platinum", "gold", None):
        assert route(tier, own_outlet=True, has_manager=True) == address.OWN_MANAGER


def test_other_outlets_diamond_goes_to_branch_head():
    assert route("diamond", own_outlet=False, has_manager=True) == address.BRANCH_HEAD


@pytest.mark.parametrize("tier", ["platinum", "gold"])
def test_other_outlets_platinum_or_gold_goes_to_an_account_manager(tier):
    assert route(tier, own_outlet=False, has_manager=True) == address.ACCOUNT_MANAGER


def test_own_outlet_without_manager_diamond_to_branch_head_others_to_manager():
    assert route("diamond", own_outlet=True, has_manager=False) == address.BRANCH_HEAD
    assert route("gold", own_outlet=True, has_manager=False) == address.ACCOUNT_MANAGER
