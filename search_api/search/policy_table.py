"""Every policy record of the index with its lookups, built once per index generation.

A policy's page links what refers to it (the laws that repeal it, the other records of
the same policy: its catalogue line, its full text, its later versions), and the policy
list filters all records. Reading the records means decoding every policy document the
index stores (3,400 at the regulations scale: about 0.2 s), so the table is built when
the index changes (:class:`search_api.search.generation.PerGeneration`), not per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ingest.model import PolicyRecord
from search_api.search.records import policy_record
from search_api.search.suggest import fold


@dataclass(frozen=True)
class PolicyTable:
    """Policy records ordered by date then title, with lookups by id, 文号 and title."""

    records: list[PolicyRecord]
    by_id: dict[str, PolicyRecord] = field(default_factory=dict)
    # "n:" + folded 文号, "t:" + folded title → every record holding it, in order (the
    # candidates for one policy's records; the last one is the latest).
    namesakes: dict[str, list[PolicyRecord]] = field(default_factory=dict)
    repealed_by: dict[str, list[PolicyRecord]] = field(default_factory=dict)  # id → records repealing it
    order: dict[str, int] = field(default_factory=dict)  # id → position in ``records``
    # Full texts that a later full text of the same policy replaces (the version in force
    # is the latest): a question's first page shows them below the rest (first_page).
    superseded: frozenset[str] = frozenset()
    by_text: dict[str, list[str]] = field(default_factory=dict)  # text key → the ids holding that text
    # id → its text key (ingest.fingerprint.text_key), policy texts only: what the copies of
    # a text share. A dict, so the document view's folding (hundreds of look-ups per
    # search, grouping.fold_copies) passes its C-level ``get``.
    text_keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, documents: Iterable[dict[str, Any]]) -> PolicyTable:
        records = sorted((policy_record(d) for d in documents), key=lambda r: (r.date or "", r.title))
        table = cls(records, {r.id: r for r in records}, order={r.id: i for i, r in enumerate(records)})
        for r in records:
            if r.doc_number:
                table.namesakes.setdefault("n:" + fold(r.doc_number), []).append(r)
            table.namesakes.setdefault("t:" + fold(r.title), []).append(r)
            if r.text_key is not None:
                table.by_text.setdefault(r.text_key, []).append(r.id)
                table.text_keys[r.id] = r.text_key
        for r in records:
            for item in r.repeals:
                target = table.indexed(item, r)
                if target is not None:
                    table.repealed_by.setdefault(target, []).append(r)
        return replace(table, superseded=frozenset(r.id for r in records if table.later_version(r)))

    def later_version(self, record: PolicyRecord) -> PolicyRecord | None:
        """The latest full text of ``record``'s policy dated after it, when ``record`` is a
        full text itself (a record without articles is a catalogue line); else None."""
        if record.articles is None:
            return None
        later = [
            o
            for o in self.same_policy(record)
            if o.articles is not None and (o.date or "") > (record.date or "~") and not _copies(o, record)
        ]
        return later[-1] if later else None

    def newer(self, doc_id: str) -> PolicyRecord | None:
        """The latest full text replacing the policy text ``doc_id`` (None when none does,
        or ``doc_id`` is no policy text)."""
        record = self.by_id.get(doc_id)
        return self.later_version(record) if record is not None and doc_id in self.superseded else None

    def catalogue_only(self, doc_id: str) -> bool:
        """Whether the index holds only the catalogue line of the policy ``doc_id``."""
        record = self.by_id.get(doc_id)
        return record is not None and record.full_text is False

    def copies_of(self, doc_id: str) -> list[str]:
        """The other documents holding ``doc_id``'s text word for word (its ``text_key``)."""
        key = self.text_keys.get(doc_id)
        return [other for other in self.by_text.get(key, ()) if other != doc_id] if key is not None else []

    def indexed(self, item: dict[str, str | None], repealer: PolicyRecord | None = None) -> str | None:
        """The id of the latest indexed record an item names (a repeal): by 文号, else by title.

        A text that repeals its own title at a date (the 2023 专利法实施细则 keeps the 2001
        text's 「1992年12月21日…发布的《专利法实施细则》同时废止」) names that year's record only:
        the indexed 2002 version is one it supersedes, not one it repeals. (Another title's
        date is its adoption, and the repeal takes its later amendments with it.) With the
        ``repealer`` that names it, only a record dated before it, never itself: a
        text repeals what came before it, and the 1950 工会法 its 2021 version repeals by
        name is not the 2021 text (which, taken as the latest record of that title, read
        as repealed by itself: 72 of the archive's 124 repeal links were such)."""
        for key, value in (("n:", item.get("doc_number")), ("t:", item.get("title"))):
            found = self.namesakes.get(key + fold(value)) if value else None
            if found and repealer is not None:
                found = [r for r in found if r.id != repealer.id and _before(r, repealer)]
            if found and repealer is not None and item.get("date") and key == "t:" and value == repealer.title:
                # Its own earlier version, dated (1992年…发布的《…》): that year's text only; the
                # others of its title are versions it supersedes, not repeals.
                found = [r for r in found if (r.date or "")[:4] == str(item["date"])[:4]]
            if found:
                return found[-1].id
        return None

    def same_policy(self, record: PolicyRecord) -> list[PolicyRecord]:
        """The other records of ``record``'s policy: the same 文号 when both have one, else
        the same title (a catalogue line and the full text, or two versions), in order."""
        candidates = [*self.namesakes.get("t:" + fold(record.title), [])]
        if record.doc_number:
            candidates += self.namesakes.get("n:" + fold(record.doc_number), [])
        seen: set[str] = set()
        out = []
        for other in sorted(candidates, key=lambda r: self.order[r.id]):
            if other.id == record.id or other.id in seen:
                continue
            seen.add(other.id)
            if record.doc_number and other.doc_number:
                if fold(record.doc_number) == fold(other.doc_number):
                    out.append(other)
            elif fold(record.title) == fold(other.title):
                out.append(other)
        return out


def _copies(record: PolicyRecord, other: PolicyRecord) -> bool:
    """Whether two records hold the same text word for word: a copy dated by its entry into
    force (最高人民法院关于审理网络消费纠纷案件…规定, 2022-02-15 and 2022-03-15) is no later version."""
    return record.text_key is not None and record.text_key == other.text_key


def _before(record: PolicyRecord, repealer: PolicyRecord) -> bool:
    """Whether ``record`` may be what ``repealer`` repeals: dated before it (an undated one
    may be; nothing dated after the repealer is)."""
    return not (record.date and repealer.date) or record.date < repealer.date
