"""Chinese titles matched by what a clerk types on a Latin keyboard (duty_tui.present.pinyin)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from duty_tui.present import pinyin


@pytest.mark.parametrize("typed", ["liu", "liumingyu", "lmy", "LMY", "liu ming yu", "liumy", "lmingyu", "mingyu", "my"])
def test_full_pinyin_initials_and_mixes_find_the_name(typed):
    assert pinyin.matches(typed, "刘明宇")


@pytest.mark.parametrize("typed", ["wang", "lmz", "liumingyux", "yumi", "刘", "", "l1"])
def test_what_does_not_spell_the_name_does_not_match(typed):
    assert not pinyin.matches(typed, "刘明宇")


def test_a_match_from_the_first_character_ranks_before_one_inside():
    assert pinyin.rank("liu", "刘明宇") == 0
    assert pinyin.rank("mingyu", "刘明宇") == 1


def test_every_reading_of_a_character_counts():
    # 单 is shan as a surname, dan otherwise; 曾 zeng or ceng
    assert pinyin.matches("shan", "单晓红") and pinyin.matches("dxh", "单晓红")
    assert pinyin.matches("zengli", "曾丽") and pinyin.matches("cl", "曾丽")


def test_latin_letters_in_a_title_read_as_themselves():
    assert pinyin.matches("xxz", "xx镇党委") and pinyin.matches("xxzhendangwei", "xx镇党委")


def test_search_keeps_the_given_order_and_narrows():
    titles = [("person-1", "刘明宇"), ("person-2", "李梅"), ("person-3", "余永福"), ("person-4", "龙梦瑶")]
    assert pinyin.search("lm", titles) == [(0, "person-1"), (0, "person-2"), (0, "person-4")]
    # whatever matches a query matches every beginning of it: narrowing the last hits is enough
    assert pinyin.search("lmy", titles) == [(0, "person-1"), (0, "person-4")]


def test_pypinyin_is_not_imported_at_start_up():
    code = "import sys, duty_tui.tui.app, duty_tui.tui.widgets.reference_picker; print('pypinyin' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
