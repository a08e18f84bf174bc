"""华侨 and 归侨 against origin conditions: kinds of 中国公民 (``origin_is``).

中华人民共和国归侨侨眷权益保护法 第二条: 华侨是指定居在国外的中国公民; 归侨是指回国定居的华侨.
Both are citizens, so each meets a 中国公民 condition; a profile giving 中国公民 alone may or
may not be one (unknown, not failed); a 归侨 has come back to settle, so is no 华侨 any
more; a foreign national is neither. The verdicts are :mod:`search_api.search.verdicts`,
the relation ``knowledge/data/eligibility.json``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from knowledge.eligibility import load_vocabulary
from knowledge.tables import DATA_DIR, DataFileError
from search_api.errors import InvalidRequest
from search_api.search.profile import Profile
from search_api.search.profile_reading import profile_from
from search_api.search.verdicts import MET, NOT_MET, UNKNOWN, Verdict, judge


def held_against(own: str, required: str) -> Verdict:
    return judge({"field": "origin", "value": [required], "span": required}, Profile(origin=(own,)), [])


def test_an_overseas_or_returned_chinese_is_a_citizen() -> None:
    # A 华侨 had been told ✗ 要求身份为中国公民 by every law for citizens.
    for kind in ("华侨", "归侨"):
        said = held_against(kind, "中国公民")
        assert (said.verdict, said.reason) == (MET, "符合：身份为中国公民"), kind
    # Not the other way: a 华侨 is no foreign national, no 港澳 resident.
    assert held_against("华侨", "外籍").verdict == NOT_MET
    assert held_against("华侨", "港澳台").verdict == NOT_MET


def test_a_citizen_may_or_may_not_be_an_overseas_chinese() -> None:
    # A 中国公民 profile had been told ✗ for 归侨 provisions it may well meet.
    for kind in ("华侨", "归侨"):
        said = held_against("中国公民", kind)
        assert (said.verdict, said.reason) == (UNKNOWN, f"所填身份（中国公民）未说明是否为{kind}，请核实"), kind
    both = judge({"field": "origin", "value": ["归侨", "华侨"]}, Profile(origin=("中国公民",)), [])
    assert both.verdict == UNKNOWN and "华侨或归侨" in both.reason
    # A foreign national is neither: 外籍 excludes 中国公民, and so its kinds.
    assert held_against("外籍", "华侨").verdict == NOT_MET
    assert held_against("外籍", "归侨").verdict == NOT_MET


def test_a_returned_overseas_chinese_is_settled_abroad_no_more() -> None:
    # 归侨 is 回国定居的华侨: back to settle, so no longer 定居在国外, no 华侨 (and a 华侨,
    # settled abroad, has not come back): the kinds of one origin exclude each other. Where
    # 中国公民 alone leaves a 华侨 condition open, a 归侨 beside it decides.
    assert held_against("中国公民", "华侨").verdict == UNKNOWN
    stated = judge({"field": "origin", "value": ["华侨"]}, Profile(origin=("中国公民", "归侨")), [])
    assert stated.verdict == NOT_MET and stated.reason == "要求身份为华侨，所填为中国公民、归侨"
    assert held_against("归侨", "华侨").verdict == NOT_MET
    assert held_against("华侨", "归侨").verdict == NOT_MET


def test_a_returnee_from_study_may_be_a_returned_overseas_chinese() -> None:
    # A student abroad is no 华侨 while studying, but one who settled abroad after it and came
    # back to settle is a 归侨: 留学回国 neither makes one a 归侨 nor rules it out.
    said = held_against("留学回国", "归侨")
    assert (said.verdict, said.reason) == (UNKNOWN, "所填身份（留学回国）未说明是否为归侨，请核实")
    # Back in China, a returnee is settled abroad no more: no 华侨.
    assert held_against("留学回国", "华侨").verdict == NOT_MET
    # Its nationality is still unsaid for a 中国公民 condition, as before.
    assert "未说明国籍" in held_against("留学回国", "中国公民").reason


@pytest.mark.parametrize(
    ("written", "origin"),
    [("华侨", "华侨"), ("海外华侨", "华侨"), ("归侨", "归侨"), ("归国华侨", "归侨"), ("外籍华人", "外籍")],
)
def test_overseas_chinese_are_read_as_people_write_them(written: str, origin: str) -> None:
    # 外籍华人 is a foreign national of Chinese descent: 外籍, not 华侨.
    assert profile_from({"origin": [written]}).origin == (origin,)


def test_relatives_of_overseas_chinese_are_no_origin_and_the_choices_say_so() -> None:
    # 侨眷 are a 华侨's or 归侨's relatives, not one of them: refused, with the choices named.
    with pytest.raises(InvalidRequest, match=r"origin: 无法识别“侨眷”，可选：.*华侨、归侨"):
        profile_from({"origin": ["侨眷"]})


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda d: d["origin_is"].update({"华侨": ["港澳台"]}), "origin_is.华侨: 港澳台 says no nationality"),
        (lambda d: d["origin_is"].update({"归侨": ["华侨"]}), "origin_is.归侨: 华侨 is a kind itself"),
        (lambda d: d["exclusive_origins"].append("华侨"), "origin_is.华侨: 中国公民 is listed beside it"),
        (lambda d: d["origin_is"].update({"华侨": ["火星人"]}), "origin_is must map one of"),
    ],
)
def test_a_broken_origin_relation_names_it(tmp_path: Path, damage: Any, problem: str) -> None:
    path = tmp_path / "eligibility.json"
    shutil.copy(DATA_DIR / "eligibility.json", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    damage(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataFileError, match=problem):
        load_vocabulary(path)
