"""The talent categories a passage names: its aliases, in their context, with their ancestors.

``knowledge/data/talent_categories.json`` names each category (技能大师, 高技能人才 …) with
its aliases and its parent. A passage names one by a whole-word phrase match of an alias
(found by the metadata extractor's phrase tagger over the passage's words), by an alias
that counts only beside one of its context words (外国人 where it works, not at its
funeral), or by an alias inside a compound that jieba keeps whole (兼职教师, 家庭医生). A
category named brings its ancestors: a 技能大师 passage is 高技能人才 and so 技能人才.
:class:`~ingest.enrich.metadata.MetadataExtractor` sets ``Passage.talent_categories``
from :meth:`TalentCategoryFinder.named`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from analysis.text import compact
from ingest.enrich.condition_words import has_any
from knowledge.tables import TalentCategory

# Only compounds at least this long are searched for a contained category alias.
_MIN_COMPOUND = 3


class TalentCategoryFinder:
    """The categories of a passage, from its phrase matches and its tokens (build once)."""

    def __init__(self, categories: Iterable[TalentCategory]) -> None:
        categories = list(categories)
        self.aliases: dict[str, str] = {}  # compacted alias -> category
        for category in categories:
            for word in (category.name, *category.aliases):
                self.aliases[compact(word)] = category.name
        # Aliases that count only beside a context word (外国人 where it works, not its funeral).
        self._in_context = {compact(w): c.name for c in categories for w in c.in_context}
        self._context = {c.name: c.context for c in categories}
        self.tagged = {**self.aliases, **self._in_context}  # what the phrase tagger matches
        self._parent = {c.name: c.parent for c in categories}
        self._contained: dict[str, str | None] = {}

    def named(self, spans: list[tuple[str, int, int]], words: list[str], text: str, tokens: Sequence[Any]) -> list[str]:
        """The categories a passage names, with their ancestors: its phrase matches
        (``spans`` over ``words``) in their context, then the aliases inside its compound
        ``tokens``; ``text`` is the passage's normalised text."""
        names = [name for name, _, _ in self._in_its_context(spans, words, text)]
        for tok in tokens:
            word = tok.text
            if len(word) >= _MIN_COMPOUND and word not in self.aliases:
                contained = self._contained_category(word)
                if contained is not None:
                    names.append(contained)
        return self.with_ancestors(dict.fromkeys(names))

    def with_ancestors(self, categories: Iterable[str]) -> list[str]:
        out: dict[str, None] = {}
        for category in categories:
            current: str | None = category
            while current is not None and current not in out:
                out[current] = None
                current = self._parent.get(current)
        return list(out)

    def _contained_category(self, word: str) -> str | None:
        """A category alias inside a compound jieba keeps whole (兼职教师, 家庭医生, 职称评审):
        the longest alias contained in the word, cached per distinct word."""
        cached = self._contained.get(word, "")
        if cached != "":
            return cached
        found: str | None = None
        for size in range(len(word) - 1, 1, -1):
            for i in range(len(word) - size + 1):
                found = self.aliases.get(word[i : i + size])
                if found is not None:
                    break
            if found is not None:
                break
        self._contained[word] = found
        return found

    def _in_its_context(
        self, spans: list[tuple[str, int, int]], words: list[str], text: str
    ) -> list[tuple[str, int, int]]:
        """The category matches without an ``in_context`` alias that has none of its
        category's context words in ``text`` (华侨和外国人的殡葬活动 is no 海外人才)."""
        return [
            (name, start, end)
            for name, start, end in spans
            if compact("".join(words[start:end])) not in self._in_context or has_any(text, self._context[name])
        ]
