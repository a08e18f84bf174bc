"""Where a snippet may not be cut: numbers, amounts, dates, article references and quoted
titles, in the normalised text of a passage (:mod:`search_api.search.highlight`).

An amount is a number with its units (30万元, 45周岁, 2023年3月1日, 第四条); the ones that
answer how much, how old or how long (digits, or numerals with such a unit) are told apart,
so a query asking for one gets the sentence holding it.
"""

from __future__ import annotations

import re

from analysis.numerals import CN_NUMERAL_CHARS

DIGITS = r"[0-9]+(?:[.,:][0-9]+)*"
# The numeral characters of analysis.numerals, and 亿 of amounts (30亿元).
NUMERALS = CN_NUMERAL_CHARS + "亿"
UNITS = sorted(
    ["%", "‰", "亿元", "万元", "千元", "元", "亿", "万", "周岁", "岁", "个月", "年", "月", "日", "号", "天",
     "小时", "分钟", "时", "分", "个", "名", "人", "项", "次", "倍", "平方米", "米", "公里", "家", "批", "期",
     "届", "级", "条", "款", "章", "节", "编"],
    key=lambda unit: (-len(unit), unit),
)  # fmt: skip
WHOLE_NUMBER = re.compile(r"[0-9]+")
UNIT = "|".join(map(re.escape, UNITS))
NUMBER = rf"(?:{DIGITS}|[{NUMERALS}]+)"
# A number with its units, a date or an article reference: 30万元, 2023年3月1日, 第四条.
# (The leading lookahead lets the engine skip other characters quickly: 4x faster.)
AMOUNT = re.compile(rf"(?=[第0-9{NUMERALS}])(?:第\s?)?{NUMBER}(?:\s?(?:{UNIT})(?:\s?{NUMBER})?)*")
MAX_AMOUNT = 60  # longer runs of numerals are not one amount and may be cut
# What answers "how much / how old / how long / how many / how often / when": digits, or
# numerals with such a unit (十五日内 and 二十四小时内 state a deadline as 七天 does; 五名,
# 一次, 八时 a head count, a frequency, a time of day; on the judged plain questions the
# answer the snippet shows 924 -> 926 of 1,022 with these last four units).
ANSWER = re.compile(rf"[0-9]|[{NUMERALS}](?:亿元|万元|元|周岁|岁|个月|年|天|日|小时|时|倍|%|名|人|次)$")
# Quoted titles and 文号 years (〔2023〕3号): never cut inside.
QUOTED = re.compile(
    r"《[^《》\n]{0,100}》|“[^“”\n]{0,100}”|「[^「」\n]{0,100}」|『[^『』\n]{0,100}』|〈[^〈〉\n]{0,100}〉"
    r"|[〔\[(][0-9]{4}[〕\])][0-9]+号"
)


def protected(norm: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Sorted, disjoint spans no cut may fall inside (amounts, numbers, quoted titles), and
    where the amounts that answer how much, how old or how long begin."""
    amounts = [m.span() for m in AMOUNT.finditer(norm) if 1 < m.end() - m.start() <= MAX_AMOUNT]
    answers = [s for s, e in amounts if ANSWER.search(norm, s, e)]
    spans = amounts + [m.span() for m in QUOTED.finditer(norm)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged, answers
