"""The parts of a query that are units of their own, cut out of its text before jieba:
文号, article references (第47条 ≡ 第四十七条), amounts in both notations (五年 ≡ 5年,
三十万元 ≡ 30万元, 16岁 ≡ 十六周岁), decimals (3.5万元, 12.5%) and times of day on the
24-hour clock (下午2点 ≡ 十四时).

:func:`references` finds them; :mod:`search_api.search.query` makes each a required unit
whose other notations are its alternatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.numerals import CN_NUMERAL, CN_NUMERAL_CHARS, cn_to_int, int_to_cn
from analysis.text import HAN_CHAR
from knowledge.docnum import find_doc_number_spans
from knowledge.questions import amount_words

# A number with its unit: a count, a duration, an age or an amount (五年, 30万元, 六十周岁).
# The number is lazy so that 三十万元 is 三十 + 万元, not 三十万 + 元.
# Measures too (一百二十米 ≡ 120米, 十个工作日 ≡ 10个工作日), the longer spelling first.
# A bare 万 is money as people say it (三十万, 30万 ≡ 30万元), not a count of people or things.
_UNITS = (
    r"周岁|岁|万元|万(?![人名个户家件套亩吨次台辆册字位所项条块])|元|个月|个工作日|工作日|年|日|天|小时|分钟|倍|级|名|次(?!性)"
    r"|平方米|立方米|平方公里|公里|千米|米|公斤|千克|克|吨|块钱|块"
)
_AMOUNT = re.compile(rf"(?<![0-9.])([0-9]+?|{CN_NUMERAL}?)({_UNITS})")
# A decimal with its unit, if any (3.5万元, 12.5%, 2.0版): one unit, its digits in a row.
# jieba cuts it at the point, and 3 and 5 apart are two numbers any passage may hold.
_DECIMAL = re.compile(rf"(?<![0-9.])[0-9]+\.[0-9]+(?![0-9.])(?:%|{_UNITS})?")
# A time of day as people say it (下午2点, 12点) and as rules write it (十四时): with digits,
# or words after a part of the day (两点 alone is also "two points").
_CLOCK = re.compile(rf"(上午|早上|中午|下午|晚上|凌晨)?(?:([0-9]{{1,2}})|({CN_NUMERAL}))点(?!钟?[0-9])")
_AFTERNOON = ("下午", "晚上")
# Units people say that the texts write otherwise: money (五十块, 二十块钱) is 元, 三十万 is
# 三十万元. A bare 块 counts as money from ten up (一块地, 两块牌子 are pieces).
_WRITTEN_UNIT = {"块": "元", "块钱": "元", "万": "万元"}
# 千万 and 百万 alone are adverbs and adjectives (千万不要, 百万富翁) before they are amounts.
_NO_NUMBER = {"万": ("千", "百")}
SPOKEN_YUAN_MIN = 10
# 第47条 / 第四十七条 / 第 47 条: an article reference.
_NUMBER_IN = re.compile(rf"[0-9]|{CN_NUMERAL}")  # a notation of an amount, not its word (年龄)
ARTICLE = re.compile(r"第\s*([0-9]{1,4}|[零〇一二两三四五六七八九十百千]{1,8})\s*条")


def _doc_number_spans(text: str) -> list[tuple[str, int, int]]:
    return [(number.normal, start, end) for number, start, end in find_doc_number_spans(text)]


def _article(match: re.Match[str]) -> str | None:
    value = cn_to_int(match.group(1))
    return f"第{int_to_cn(value)}条" if value and value < 10_000 else None


@dataclass
class References:
    """文号, article references and amounts of a query: units of their own, cut out of
    its text."""

    numbers: list[str] = field(default_factory=list)  # normalised 文号
    articles: list[str] = field(default_factory=list)  # 第四十七条
    amounts: list[str] = field(default_factory=list)  # 五年, 30万元, 六十周岁 as typed
    typed: dict[str, list[str]] = field(default_factory=dict)  # 第四十七条 → [第47条] as typed
    spans: list[tuple[int, int]] = field(default_factory=list)
    amount_starts: list[int] = field(default_factory=list)  # where each of ``amounts`` starts

    def taken(self, match: re.Match[str]) -> bool:
        """Whether ``match`` overlaps a span an earlier reference took (a 文号's 2023 is no year)."""
        return any(start < match.end() and match.start() < end for start, end in self.spans)

    def add_amount(self, match: re.Match[str], others: list[str] | None) -> None:
        """``match`` as a unit of its own; ``others``: its other notations (None: it has none
        to name, as a decimal)."""
        self.amounts.append(match.group(0))
        self.amount_starts.append(match.start())
        self.spans.append(match.span())
        if others is not None:
            self.typed.setdefault(match.group(0), []).extend(others)


def references(text: str) -> References:
    """The references of ``text`` (normalised), each with the span it covers."""
    refs = References()
    for number, start, end in _doc_number_spans(text):
        refs.numbers.append(number)
        refs.spans.append((start, end))
    for m in ARTICLE.finditer(text):
        article = _article(m)
        if article is None or refs.taken(m):
            continue
        refs.articles.append(article)
        refs.spans.append(m.span())
        if m.group(1).isdigit():
            refs.typed.setdefault(article, []).append(f"第{m.group(1)}条")
    for m in _CLOCK.finditer(text):
        forms = clock_forms(m.group(1), m.group(2) or m.group(3))
        if forms and not (m.group(3) and not m.group(1)) and not refs.taken(m):
            refs.add_amount(m, forms)
    for m in _DECIMAL.finditer(text):
        if not refs.taken(m):
            refs.add_amount(m, None)
    for m in _AMOUNT.finditer(text):
        forms = amount_forms(m.group(1), m.group(2))
        if forms and not refs.taken(m):
            # 58岁 is also a clause's 年龄: the question gives a figure, the clause a limit.
            also = amount_words().get(m.group(2), ())
            refs.add_amount(m, [*(f for f in forms if f != m.group(0)), *also])
    return refs


def bounded_amounts(text: str, refs: References) -> list[list[str]]:
    """Per amount of ``text`` typed after a Han character that is no numeral (满5年), that
    character before each of its notations (满5年, 满五年): matched as typed in a row, they
    bound the number on its left, which 5年 or 五年 alone does not (十五年 holds 五年: 缴费满
    5年 had found 累计缴费满十五年 first)."""
    out = []
    for typed, start in zip(refs.amounts, refs.amount_starts, strict=True):
        before = text[start - 1] if start else ""
        if not HAN_CHAR.fullmatch(before) or before in CN_NUMERAL_CHARS:
            continue
        forms = dict.fromkeys([typed, *refs.typed.get(typed, ())])  # (typed twice: its forms twice)
        out.append([before + form for form in forms if _NUMBER_IN.search(form)])
    return [list(phrases) for phrases in dict.fromkeys(tuple(p) for p in out if p)]


def amount_forms(number: str, unit: str) -> list[str]:
    """An amount in the notations documents use: 五年 ≡ 5年, 三十万元 ≡ 30万元, 两年 ≡ 2年,
    2023年 ≡ 二〇二三年, 16岁 ≡ 十六周岁; empty when ``number`` is not a number."""
    value = cn_to_int(number)
    if value is None or not 0 < value < 100_000_000:
        return []
    if unit == "块" and value < SPOKEN_YUAN_MIN:  # 一块宅基地: a piece, not a yuan
        return []
    if number in _NO_NUMBER.get(unit, ()):
        return []
    unit = _WRITTEN_UNIT.get(unit, unit)
    forms = [f"{value}{unit}"]
    if unit == "年" and value >= 1000:  # a year is written digit by digit
        forms.append("".join("〇一二三四五六七八九"[int(d)] for d in str(value)) + unit)
    else:
        forms.append(f"{int_to_cn(value)}{unit}")
        if value == 2:
            forms.append(f"两{unit}")
    if unit == "岁":  # people say 16岁, the law 十六周岁
        forms += [f"{value}周岁", f"{int_to_cn(value)}周岁"]
    if unit == "元" and value >= 10_000 and not value % 100:  # 50000元 is also 5万元
        forms.append(f"{value / 10_000:g}万元")
    if unit == "万元":  # and 5万元 is 50000元
        forms.append(f"{value * 10_000}元")
    return list(dict.fromkeys(forms))


def clock_forms(part: str | None, number: str) -> list[str]:
    """A time of day as rules write it, on the 24-hour clock: 下午2点 ≡ 14时 ≡ 十四时."""
    value = cn_to_int(number)
    if value is None or not 0 <= value <= 24:
        return []
    if part in _AFTERNOON and value < 12:
        value += 12
    spelled = int_to_cn(value) if value else "零"  # 凌晨0点 is 零时
    return list(dict.fromkeys([f"{value}时", f"{spelled}时", f"{value}点"]))
