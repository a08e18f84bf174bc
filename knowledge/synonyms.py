"""Query-time synonyms and abbreviations: 市人社局 ↔ 北京市人力资源和社会保障局, 绿卡 ↔ 永久居留身份证.

Two data sources, one table: every agency's name and aliases (``agencies.json``, the
same table enrichment uses to tag issuers) and the everyday word groups of
``synonyms.json``. Expansion happens at query time only, so the index never changes
when the table does, and the alternatives are searched with a lower weight than what
the user typed.

Lookup is not transitive: a word's alternatives are the other members of the groups it
belongs to, never the groups of those members, so two groups that share a word do not
merge into one (人社局 of Beijing must not reach 人社部 through a chain of aliases).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from analysis.text import HAN, Token, normalize

# An entry that the query analyzer could produce as words: no punctuation, no spaces
# (北京市科学技术委员会、中关村科技园区管理委员会 is a name for facets, not a query).
_SEARCHABLE = re.compile(rf"[{HAN}a-z0-9]+")


@dataclass(frozen=True)
class SynonymTable:
    alternatives: dict[str, tuple[str, ...]]  # normalised word → its other forms
    longest: int = 0  # characters of the longest entry (bounds the lookup)

    @classmethod
    def from_groups(cls, groups: Iterable[Sequence[str]]) -> SynonymTable:
        found: dict[str, dict[str, None]] = {}
        for group in groups:
            words = [w for w in dict.fromkeys(normalize(g) for g in group) if _SEARCHABLE.fullmatch(w)]
            for word in words:
                others = found.setdefault(word, {})
                others.update((w, None) for w in words if w != word)
        table = {word: tuple(others) for word, others in found.items() if others}
        return cls(table, max(map(len, table), default=0))

    def lookup(self, word: str) -> tuple[str, ...]:
        return self.alternatives.get(word, ())

    def longest_at(self, text: str, tokens: Sequence[Token], first: int) -> int:
        """How many tokens from ``first`` on form the longest entry (0: none).

        Entries are matched on whole tokens only: 外国人 is not found inside 外国人才.
        """
        start = tokens[first].start
        for last in range(len(tokens) - 1, first - 1, -1):
            end = tokens[last].end
            if end - start <= self.longest and text[start:end] in self.alternatives:
                return last - first + 1
        return 0


def _groups() -> list[tuple[str, ...]]:
    from knowledge.tables import default_agencies, load_synonyms

    groups = [(a.name, *a.aliases) for a in default_agencies() if a.aliases]
    return groups + load_synonyms()


@lru_cache(maxsize=1)
def default_table() -> SynonymTable:
    return SynonymTable.from_groups(_groups())


# Spellings of a compound made from its parts' synonyms, at most: each is one more phrase
# in a query (four had cost 0.5 ms at p50 on the benchmark's questions).
MAX_PART_SYNONYMS = 2


def part_spellings(word: str, parts: list[str]) -> list[str]:
    """``word`` spelled with one part written out (高校教师 → 高等学校教师, 高等院校教师):
    jieba keeps the short form whole, so the synonym of its part never reached the texts
    that write it out. Only a synonym holding the part's characters in order is a written
    out form (高校 ⊂ 高等学校); 用人单位 for 企业 or 住处 for 住房 is another word."""
    out: list[str] = []
    for piece in parts:
        at = word.find(piece)
        if at < 0:
            continue
        for synonym in default_table().lookup(piece):
            if len(synonym) > len(piece) and _in_order(piece, synonym):
                out.append(word[:at] + synonym + word[at + len(piece) :])
    return list(dict.fromkeys(out))[:MAX_PART_SYNONYMS] if len(parts) > 1 else []


def _in_order(short: str, full: str) -> bool:
    """Whether the characters of ``short`` occur in ``full`` in order."""
    rest = iter(full)
    return all(char in rest for char in short)
