"""Alternatives inside one requirement region, and what every alternative shares.

A region of a clause may join requirements with 或者 (取得A或者B), and a requirement before
or after them may belong to each (具备…学历，并具有A或者B; A或者B，并从事…2年以上). The
condition extractor (:mod:`ingest.enrich.conditions`) asks here where the alternatives are
and where a shared requirement starts or ends, so that it groups them as the text means.
"""

from __future__ import annotations

import re

from ingest.enrich.condition_fields import Found
from ingest.enrich.condition_words import has_any, longest_first
from knowledge.condition_cues import CueWords


class RegionJoins:
    """Where a region's alternatives are, and what they share (build once from the cues)."""

    def __init__(self, cues: CueWords) -> None:
        self._alternative = longest_first(cues["alternative"])
        self._shared = longest_first(cues["shared"])
        self._person_endings = cues["person_endings"]

    def shared_tail(self, text: str, start: int, alternatives: list[tuple[int, int]]) -> int | None:
        """Where a requirement every alternative shares starts: a comma and a ``shared``
        conjunction after alternatives joined inside the first clause (取得建筑学硕士以上学位
        或者相近专业工学博士学位，并从事建筑设计…2年以上); None otherwise."""
        if len(alternatives) < 2 or "," in text[start : alternatives[-1][0]]:
            return None
        last, end = alternatives[-1]
        for comma in re.finditer(",", text[last:end]):
            at = last + comma.end()
            if text.startswith(self._shared, at):
                return at - 1
        # …或者具有…中级以上技术职称的中国公民: the head noun after the last alternative's 的
        # (and what qualifies it) is every alternative's person.
        head = text.find("的", last, end) + 1
        rest = text[head:end].rstrip(" ,;。")
        if head and rest.endswith(self._person_endings) and not has_any(rest, self._alternative) and "," not in rest:
            return head
        return None

    def shared_head(self, text: str, alternatives: list[tuple[int, int]]) -> int | None:
        """The comma ending a requirement every alternative shares, when the alternatives
        are joined inside the clause after it and that clause opens with a ``shared``
        conjunction (应当具备…规定的学历，并应当具有…专业技术职务或者中级以上工人技术
        等级: the degree and either of the two); None otherwise."""
        if len(alternatives) < 2 or any(text[a - 1 : a] == "," for a, _ in alternatives[1:]):
            return None
        first, last = alternatives[0]
        comma = text.rfind(",", first, last)
        if comma <= first or not text.startswith(self._shared, comma + 1):
            return None
        return comma

    def alternatives(self, text: str, start: int, end: int, found: list[Found]) -> list[tuple[int, int]]:
        """The spans of ``text[start:end]`` joined by 或者 at the top level: a 或者 after a
        comma, or one with a structured requirement (``found``) on both sides within its
        clause (not one inside a requirement: 国家职业资格或技能等级证书)."""
        cuts = [start]
        for word in self._alternative:
            for match in re.finditer(re.escape(word), text[start:end]):
                at = start + match.start()
                if any(c <= at < c + 2 for c in cuts[1:]) or any(f.start < at < f.end for f in found):
                    continue
                left = max(cuts[-1], text.rfind(",", start, at) + 1)
                right = text.find(",", at, end)
                right = end if right < 0 else right
                both = any(left <= f.start and f.end <= at for f in found) and any(
                    at <= f.start and f.end <= right for f in found
                )
                if text[at - 1 : at] == "," or (both and at - left > 3):
                    cuts.append(at)
        cuts = sorted(set(cuts))
        return [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=True) if b > a]
