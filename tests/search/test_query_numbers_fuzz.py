"""Query analysis never fails on numbers, whatever their size or notation.

The schema fuzzing of the API draws free text, where a number followed by a unit the
query reads (元, 点, 条 …) is rare: 50000元 and 凌晨0点 both made a search fail with
"out of range" before a reader met them. This draws queries from that grammar instead:
a prefix that gives the number a role (第, 下午, a 文号's start), a number in digits,
Chinese numerals or a mix, a unit, and what may follow it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.numerals import CN_NUMERAL_CHARS
from search_api.search.query import analyze_query
from search_api.search.references import _UNITS

UNITS = [unit.removesuffix("(?!性)") for unit in _UNITS.split("|")] + ["条", "号", "〕", "点", "点钟", "时", "版", ""]
PREFIXES = ["", "第", "京政发〔", "下午", "凌晨", "晚上", "补贴", "约", "0.", "满"]
SUFFIXES = ["", "以上", "以下", "吗", " 人才", "至三十五周岁"]
DIGITS = st.integers(min_value=0, max_value=10**15).map(str)
WORDS = st.text(alphabet=CN_NUMERAL_CHARS, min_size=1, max_size=8)
MIXED = st.text(alphabet="0123456789.０１２〇十万", min_size=1, max_size=12)


@given(
    prefix=st.sampled_from(PREFIXES),
    number=st.one_of(DIGITS, WORDS, MIXED),
    unit=st.sampled_from(UNITS),
    suffix=st.sampled_from(SUFFIXES),
)
@settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_a_number_in_any_notation_is_analysed(prefix: str, number: str, unit: str, suffix: str) -> None:
    aq = analyze_query(prefix + number + unit + suffix)
    assert all(isinstance(form, str) and form for forms in aq.alternatives.values() for form in forms)


def test_midnight_reads_as_the_texts_write_it() -> None:
    assert analyze_query("凌晨0点").alternatives["凌晨0点"] == ["0时", "零时", "0点"]
    assert analyze_query("下午2点").alternatives["下午2点"] == ["14时", "十四时", "14点"]
