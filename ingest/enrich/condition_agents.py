"""Who acts in a clause and for whom: an authority at its head, and the beneficiaries it names.

A policy sentence often has an agent: 县级以上人民政府应当…, 公安交通管理机关发现…. An
agent is no applicant: a condition it states is its own circumstance, and a means it
uses (应当通过…等形式) requires nothing of anyone. What it does may be for someone,
though: the object of a marker at the head of a clause (对/为/支持/鼓励 …: 县级以上人民政府
应当对…给予支持, 为省外人才到本省工作创造条件) is a beneficiary, and who benefits is who
qualifies. :class:`AgentReader` finds both from the cue lists of
``knowledge/data/eligibility.json``; :class:`~ingest.enrich.condition_clauses.ClauseReader`
decides what the rest of the sentence says.
"""

from __future__ import annotations

import re

from ingest.enrich import condition_words as scan
from ingest.enrich.condition_words import longest_first
from knowledge.condition_cues import CueWords, alternation


class AgentReader:
    """Agents at a clause's head and the beneficiaries their measures name (build once
    from the cue lists; ``units``: unit names, some ending like an authority)."""

    def __init__(self, cues: CueWords, units: tuple[str, ...] = ()) -> None:
        # Unit names that end like an authority (科研机构): a unit, not an agent, unless
        # the bare word (机关) is all there is.
        self._units = tuple(u for u in units if u not in cues["authority_units"])
        self._authority = cues["authority"]
        self._modal = longest_first(cues["modal"])
        self._discretion = longest_first(cues["discretion"])
        self._acting = longest_first(cues["acting"])
        self._not_marker = longest_first(cues["not_marker"])
        self._encourage = longest_first(cues["encourage"])
        self._prepositions = longest_first(cues["beneficiary_marks"])
        # The words that open a beneficiary (支持, 鼓励, 对, 为 …).
        self.markers = longest_first((*cues["support"], *self._encourage, *self._prepositions))
        self._openers = longest_first(cues["condition_openers"])
        self._provide = longest_first(cues["provide"])
        # A described object: …的 and a person (…的外国人, …的护士).
        persons = alternation(cues["person_endings"])
        self._described = re.compile(rf"的[^,的]{{0,5}}(?:{persons})")

    def agent_start(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` opens with an authority acting (招录机关根据…,
        公安交通管理机关发现…), not with a unit whose name ends like one (科研机构)."""
        for stop in range(start + 1, min(end, start + 20) + 1):
            if text[stop - 1] in scan.HEAD_SEPARATORS:
                return False
            if text[start:stop].endswith(self._authority) and not text[start:stop].endswith(self._units):
                rest = scan.skip(text, stop, ("及其有关部门", "和有关部门", "有关部门"))
                if (
                    scan.first_at(text, rest, (*self._modal, *self.markers, *self._discretion, *self._acting))
                    is not None
                ):
                    return True
        return False

    def agent_end(self, text: str, start: int, end: int, at_end: bool = False) -> int | None:
        """The end of an agent at ``text[start:end]``'s head (县级以上人民政府, 国务院有关
        部门, 公安机关出入境管理机构) followed by a modal or a marker, or (``at_end``) by
        the end; None if the clause does not start with one."""
        for stop in range(start + 1, min(end, start + 40) + 1):
            if text[stop - 1] == ",":
                return None
            if text[start:stop].endswith(self._authority):
                rest = scan.skip(text, stop, ("及其有关部门", "和有关部门", "有关部门"))
                if (at_end and rest >= end) or scan.first_at(text, rest, (*self._modal, *self.markers)) is not None:
                    return rest
        return None

    def beneficiaries(self, text: str, start: int, end: int, after: int) -> list[tuple[int, int]]:
        """The spans of the beneficiaries named from ``after`` on, each up to the end of its
        clause: the object of 支持 …, of 鼓励 … when described by a condition (鼓励取得…资格的
        人员), and of 对/为 when the clause provides something (为…人才…创造条件)."""
        out = []
        for head in scan.heads(text, start, end):
            stop = scan.next_head(text, head, end)
            if stop <= after:
                continue
            marker = self._marker(text, max(head, after), stop)
            if marker is None or stop <= marker[1]:
                continue
            kind, at = marker
            region = text[at:stop]
            if kind in self._encourage and not scan.described_object(region, self._openers, self._described):
                continue
            provision = scan.first(self._provide, region)
            # 对…人员，要提供…: a provision opening the next clause serves who 对 names (为…，提供… a service).
            later = (
                kind.startswith("对")
                and scan.first_at(text[:end], scan.skip(text, stop + 1, self._modal), self._provide) is not None
            )
            if kind in self._prepositions and provision is None and not later:
                continue
            # 为…人才…创造条件: the beneficiary ends where the provision starts.
            out.append((at, at + provision[0] if provision and provision[0] else stop))
        return out

    def _marker(self, text: str, head: int, end: int) -> tuple[str, int] | None:
        """The marker (对, 为, 支持 …) that opens the clause at ``head`` after an agent and
        modals (县级以上人民政府应当对…), and its end; None if none does. Joined markers
        (支持和鼓励, 鼓励、支持) are one, of the weakest kind among them."""
        lead = scan.skip(text, self.agent_end(text, head, end) or head, self._modal)
        if scan.first_at(text, lead, self._not_marker) is not None:
            return None  # 对外贸易经营者, 为了公共利益: no beneficiary follows
        at = scan.first_at(text, lead, self.markers)
        while at is not None and text[at : at + 1] in "、和及":
            more = scan.first_at(text, at + 1, self.markers)
            if more is None:
                break
            at = more
        if at is None:
            return None
        words = text[lead:at]
        kind = next((w for w in self._encourage if w in words), words)
        return kind, at

    def marked(self, text: str, heads: list[int], cut: int) -> int | None:
        """Where the requirement starts: after the marker that opens the last clause before
        the consequence that has one (对…的，/为…提供), None when none has."""
        for head in reversed(heads):
            marker = self._marker(text, head, cut)
            if marker is not None and (
                marker[0] not in self._encourage
                or scan.described_object(text[marker[1] : cut], self._openers, self._described)
            ):
                return marker[1]
        return None
