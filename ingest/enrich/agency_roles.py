"""Who issued a passage, as against whom it merely names.

The 发文机关 facet (``Passage.agencies``) answers "what did this agency issue or do", so it
holds issuers only:

* a clause of a policy text: the policy's issuers (from its header, its 文号 prefix, its
  title before 关于, a signature at its end, a 联合印发 list in ``agencies_raw``);
* a catalogue entry (政策目录): the agency the catalogue line gives, else its 文号's issuer;
* a timeline event (大事记): the agencies that act in it, i.e. those it names except inside a
  《title》 or as a person's post (市委书记尹力 names 市委; 国务院总理李强 names 国务院);
* anything else (report chapters, whose authors are research groups; front matter;
  tables, figures, footnotes): none.

Every agency a passage's text names goes to ``Passage.mentioned_agencies``, issuers
included. Generic names (区人民政府, 各区人社局; ``"generic": true`` in agencies.json) are
recognised but never a value of either field.

A short form that names no place (市人民政府, 市人社局) stands for the agency of the
document's own place: it is that table entry (北京市人民政府) only in a document of that
place (:class:`LocalAliases`). In a 上海 regulation or a national law it is another
city's agency, or any city's, which the table does not hold, so it is no value at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from analysis.text import compact, normalize
from knowledge.residence import jurisdiction, load_gazetteer
from knowledge.tables import Agency

Span = tuple[str, int, int]  # (canonical agency, first word, end word) of a tagger match

# A signature's date line: 2023年3月17日 (Arabic or Chinese numerals).
_DATE_LINE = re.compile(
    r"^\s*[0-9〇零一二三四五六七八九]{4}\s*年\s*[0-9一二三四五六七八九十]{1,2}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*日\s*$"
)
_SEPARATORS = re.compile(r"[、，,；;\s]+")
# A signature has at most this many lines of agencies above its date.
_SIGNATURE_LINES = 4


class AgencyRoles:
    """Splits the agencies of a passage into issuers and mentions (build once, reuse)."""

    def __init__(self, generic: Iterable[str], titles: Sequence[str], named_after: Sequence[str] = ()) -> None:
        self.generic = frozenset(generic)
        posts = "|".join(re.escape(normalize(t)) for t in sorted(titles, key=len, reverse=True))
        # A post followed by 会 is a body (市委常委会 acts), not a person (市委常委).
        self._title = re.compile(f"(?:{posts})(?!会)" if posts else r"(?!)")
        things = "|".join(re.escape(normalize(t)) for t in sorted(named_after, key=len, reverse=True))
        # An allowance named after its grantor, right after its name (北京市政府技师特殊津贴).
        self._named_after = re.compile(f"(?:{things})" if things else r"(?!)")

    def keep(self, names: Iterable[str]) -> list[str]:
        """``names`` without generic ones and repeats, in order."""
        return [name for name in dict.fromkeys(names) if name not in self.generic]

    def mentions(self, words: Sequence[str], spans: Sequence[Span]) -> list[str]:
        """The agencies a passage names: every match but one inside another thing's name
        (享受国务院政府特殊津贴 names an allowance; 国务院 had been a 涉及机关 of every clause
        asking for it)."""
        text, starts = "".join(words), _offsets(words)  # starts[end]: where the text after a match starts
        return self.keep(name for name, _, end in spans if not self._named_after.match(text, starts[end]))

    def actors(self, words: Sequence[str], spans: Sequence[Span]) -> list[str]:
        """The agencies that act in an event: every match not inside 《…》, not followed
        by an official's post and not inside another thing's name."""
        starts = _offsets(words)
        text = "".join(words)
        acting: list[str] = []
        for name, first, end in spans:
            before = text[: starts[first]]
            if before.count("《") > before.count("》"):
                continue
            after = starts[end] if end < len(starts) else len(text)
            if self._title.match(text, after) or self._named_after.match(text, after):
                continue
            acting.append(name)
        return self.keep(acting)


# The place of a policy text that nothing places: no local alias is read as its own. 市人民政府
# is 北京市人民政府 in a report chapter on Beijing, but not in a 重庆 county's regulation (a
# county the gazetteer does not know) nor in a 公安部 rule's 设区的市人民政府.
UNPLACED = ""
NATION = "中华人民共和国"  # the place of national bodies (中国人民银行's 人民银行 holds everywhere)


class LocalAliases:
    """The aliases that name no place (市人民政府) of agencies whose name does (北京市人民
    政府), and the place each stands for (build once, reuse)."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        self.place_of: dict[str, str] = {}  # compact alias → the agency's place
        for agency in agencies:
            place = _place_named(agency.name)
            if place is None:
                continue
            for alias in agency.aliases:
                if _place_named(alias) is None:
                    self.place_of[compact(alias)] = place

    def applies(self, alias: str, document_place: str | None) -> bool:
        """Whether ``alias`` means its table entry in a document of ``document_place``
        (None: not known, as for a report chapter, so the table's place is assumed;
        :data:`UNPLACED`: a policy text of no known place, so it is not)."""
        place = self.place_of.get(compact(alias))
        if place is None or document_place is None:
            return True
        if document_place == UNPLACED:  # somewhere in the country: its bodies only (人民银行)
            return place == jurisdiction(NATION)
        return load_gazetteer().within(document_place, place)

    def keep(self, spans: Sequence[Span], words: Sequence[str], document_place: str | None) -> list[Span]:
        """The tagger's ``spans`` over ``words`` without local aliases of another place,
        whether the document's or the one named right before (上海 | 市人社局 is 上海's)."""
        kept = []
        for span in spans:
            alias = "".join(words[span[1] : span[2]])
            if self.applies(alias, document_place) and self.applies(alias, _place_before(words, span[1])):
                kept.append(span)
        return kept


def _place_before(words: Sequence[str], start: int) -> str | None:
    """The place the word before ``start`` is, when it is one whole (上海 of 上海 | 市人社局)."""
    return load_gazetteer().spelling.get(normalize(words[start - 1])) if start else None


def document_place(title: str, issuers: Sequence[str], national: Iterable[str]) -> str | None:
    """Where a document applies: the place its title starts with (上海市… → 上海), else its
    issuers' (北京市人力资源和社会保障局 → 北京), else 中国 when a national agency issued
    it (国务院); None when nothing says."""
    place = jurisdiction(title) or next((p for p in map(_place_named, issuers) if p), None)
    if place is None and set(issuers) & set(national):
        return jurisdiction(NATION)
    return place


def _place_named(name: str) -> str | None:
    """The first place an agency's name or alias names (中共北京市委 → 北京; 人民银行: none)."""
    return load_gazetteer().place_in(normalize(name))


def signature_agencies(text: str, canonical: Callable[[str], str | None]) -> list[str]:
    """The agencies of a signature closing ``text``: up to four lines made only of agency
    names (each known to ``canonical``) right above a final date line; [] without one."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2 or not _DATE_LINE.match(lines[-1]):
        return []
    found: list[str] = []
    for line in reversed(lines[-1 - _SIGNATURE_LINES : -1]):
        names = [canonical(part) for part in _SEPARATORS.split(line) if part]
        if not names or any(name is None for name in names):
            break
        found = [name for name in names if name is not None] + found
    return list(dict.fromkeys(found))


def _offsets(words: Sequence[str]) -> list[int]:
    """The character offset of each word, plus the text's end."""
    out = [0]
    for word in words:
        out.append(out[-1] + len(word))
    return out
