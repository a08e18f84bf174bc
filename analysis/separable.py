"""Separable verbs (离合词) rejoined in a query: 游个泳 → 游泳, 退了休 → 退休, 报个名 → 报名.

Spoken Chinese splits many two-character verbs around 个, 了 or 过 (游个泳, 落了户, 请过假),
and applicants type questions as they speak (我去年刚退了休，还能申请吗). jieba then cuts
the three characters apart, so the word the documents use (退休, 落户, 报名) is never looked
up, and 游 and 泳 alone mean nothing: a question about swimming in a 济南 spring pool found
no rule on swimming. Legal texts do not split these verbs, so only the query is rejoined,
before it is analysed.

A run is rejoined only where jieba cut it into three single characters (通过考试, 为了解决
and 一个人 are cut otherwise and stay as they are), the first is no numeral or
demonstrative (这个人, 三个月), and the two characters make a dictionary word of some
currency (``MIN_COUNT``: 这人 or 通考 are in jieba's dictionary, rarely used).
"""

from __future__ import annotations

from analysis.words import get_analyzer

# What spoken Chinese puts between the two halves of a separable verb.
INSERTS = frozenset("个了过")
# A first character that counts or points, not a verb's half: 一个人, 这个月, 几个人.
NOT_A_VERB = frozenset("一二两三四五六七八九十几这那哪每某各整半")
# The least count in jieba's dictionary of a rejoined word (游泳 964, 请假 229, 办证 19; 这人 3).
MIN_COUNT = 10


def rejoin_separable(text: str) -> str:
    """``text`` with each split separable verb written whole (see the module docstring)."""
    if not any(insert in text for insert in INSERTS):
        return text  # most queries: no second segmentation for them
    analyzer = get_analyzer()
    counts = analyzer.dictionary()
    tokens = analyzer.words(text)
    cuts: list[tuple[int, int]] = []  # spans of the inserted characters to drop
    for first, middle, last in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if not all(len(t.text) == 1 for t in (first, middle, last)):
            continue
        if middle.text not in INSERTS or first.text in NOT_A_VERB:
            continue
        if first.end != middle.start or middle.end != last.start:
            continue  # a space or a mark between them: not one spoken word
        if counts.get(first.text + last.text, 0) >= MIN_COUNT:
            cuts.append((middle.start, middle.end))
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text
