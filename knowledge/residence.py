"""Where a person lives or works, against where a clause requires it.

Residence conditions name a place and a tie to it: 本市户籍, 在本市工作, 与在京单位建立
人事劳动关系, 到本省创新创业, 在南沙创新创业. A profile says the same in its own words
(在京工作, 北京户籍, 在广州创业). Both are read into a :class:`Tie` (place, relation) with
the gazetteer of ``knowledge/data/places.json``: 本市/本省 mean the jurisdiction of the
document, the first place its title names (广州市青年创新创业促进条例 → 广州); a person's
place meets a required place when it lies inside it (南沙 → 广州 → 广东); a founder
(创业) also works there, a registered resident (户籍) need not.

Anything not read as a place and a relation stays unknown: the verdict is then
``unknown``, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.text import compact, normalize
from knowledge.tables import DATA_DIR, DataFileError, _obj, _read_json

PLACES_PATH = DATA_DIR / "places.json"
NATIONWIDE = "全国"  # the region of the country's own texts (the 地区 facet's value)
LEVELS = ("country", "province", "municipality", "city", "district")
# One-character abbreviations (京, 沪) are places only in these contexts: 在京, 来京, 京籍.
_SHORT_BEFORE = "在来到赴驻留返回进"
_SHORT_AFTER = "籍户"


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...]
    level: str
    parent: str | None


@dataclass(frozen=True)
class Tie:
    """A person's tie to a place: 户籍, 工作, 创业 or 居住 (``relations`` in the file)."""

    place: str | None
    relation: str | None


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, Place]
    local_words: dict[str, tuple[str, ...]]  # 本市 → levels it may stand for
    relative_words: tuple[str, ...]  # 本村, 本县: the document's own place, below any level here
    relations: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (name, cues, implies)
    pattern: re.Pattern[str]  # every spelling of every place, longest first
    spelling: dict[str, str]  # spelling → place name

    def place_in(self, text: str, jurisdiction: str | None = None) -> str | None:
        """The first place ``text`` names; 本市/本省 stand for ``jurisdiction``."""
        for word, levels in self.local_words.items():
            if word in text and jurisdiction:
                return self._at_level(jurisdiction, levels)
        for match in self.pattern.finditer(text):
            spelled = match.group(0)
            if len(spelled) == 1 and not _short_in_context(text, match.start(), match.end()):
                continue
            return self.spelling[spelled]
        return None

    def names_relative(self, text: str) -> bool:
        """Whether ``text`` names a place only relative to its document (本市, 本村)."""
        return any(word in text for word in (*self.local_words, *self.relative_words))

    def relation_in(self, text: str) -> str | None:
        for name, cues, _ in self.relations:
            if any(cue in text for cue in cues):
                return name
        return None

    def implied(self, relation: str) -> set[str]:
        for name, _, implies in self.relations:
            if name == relation:
                return {name, *implies}
        return {relation}

    def within(self, place: str, region: str) -> bool:
        """True when ``place`` is ``region`` or lies inside it."""
        seen: set[str] = set()
        current: str | None = place
        while current is not None and current not in seen:
            if current == region:
                return True
            seen.add(current)
            found = self.places.get(current)
            current = found.parent if found else None
        return False

    def region(self, place: str) -> str | None:
        """The province or municipality ``place`` lies in (广州 → 广东, 海淀 → 北京; the
        country for itself); None for a place the gazetteer does not hold."""
        if place not in self.places:
            return None
        return self._at_level(place, ("country", "province", "municipality"))

    def _at_level(self, place: str, levels: tuple[str, ...]) -> str:
        """``place`` or the first of its ancestors at one of ``levels`` (本省 in a city's
        regulation is its province)."""
        current: str | None = place
        while current is not None:
            found = self.places.get(current)
            if found is None or found.level in levels:
                return current
            current = found.parent
        return place


def _short_in_context(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return before in _SHORT_BEFORE or after in _SHORT_AFTER


def tie(text: str, jurisdiction: str | None = None) -> Tie:
    """The place and relation ``text`` states (either may be None)."""
    gazetteer = load_gazetteer()
    folded = normalize(text)
    return Tie(gazetteer.place_in(folded, jurisdiction), gazetteer.relation_in(folded))


def leading_place(title: str) -> str:
    """The place name a document's title starts with, as it spells it (北京市…, 中华人民共和国…;
    normalised), or "" (a one-character alias such as 京 is no place at a title's start)."""
    match = load_gazetteer().pattern.match(normalize(title).lstrip("《"))
    return match.group(0) if match and len(match.group(0)) > 1 else ""


def jurisdiction(title: str) -> str | None:
    """The place a document's title starts with (北京市… → 北京; 中华人民共和国… → 中国)."""
    spelled = leading_place(title)
    return load_gazetteer().spelling[spelled] if spelled else None


def residence_verdict(profile: list[str], requirement: str, doc_names: list[str]) -> str:
    """``met``, ``not_met`` or ``unknown``: does a person with ``profile`` ties (their own
    words) meet the residence requirement of a clause in a document named by ``doc_names``
    (its title, then its issuing agencies: the first that names a place is its jurisdiction)?

    A negated tie (非本市户籍, 户籍不在本村) is met exactly when the tie it negates is not.
    A requirement that names no place (原住居民) is met by the applicant's own words saying
    it; one that names a place only relative to the text (本村, 本市) is not, as 本市 in
    an applicant's words may be another city than the document's."""
    words = compact(requirement)
    if words in map(compact, profile) and not load_gazetteer().names_relative(words):
        return "met"
    text = normalize(requirement)
    negated = _NEGATION.search(text)
    if negated is None:
        return _tie_verdict(profile, requirement, doc_names)
    positive = text[: negated.start()] + (negated.group(1) or "") + text[negated.end() :]
    return {"met": "not_met", "not_met": "met"}.get(_tie_verdict(profile, positive, doc_names), "unknown")


# 非本市户籍 → 本市户籍, 户籍不在本村 → 户籍在本村: the tie a requirement negates.
_NEGATION = re.compile(r"^非|不(在)")


def _tie_verdict(profile: list[str], requirement: str, doc_names: list[str]) -> str:
    gazetteer = load_gazetteer()
    place = next((found for found in map(jurisdiction, doc_names) if found), None)
    required = tie(requirement, place)
    if required.place is None or required.relation is None:
        return "unknown"
    comparable = False
    for own in (tie(text) for text in profile):
        if own.place is None or own.relation is None or required.relation not in gazetteer.implied(own.relation):
            continue
        if gazetteer.within(own.place, required.place):
            return "met"
        comparable = gazetteer.places.get(own.place) is not None
    return "not_met" if comparable else "unknown"


@lru_cache(maxsize=1)
def load_gazetteer(path: Path = PLACES_PATH) -> Gazetteer:
    data = _obj(path, _read_json(path), "the top level")
    places = _places(path, data.get("places"))
    spelling = {normalize(s): p.name for p in places.values() for s in (p.name, *p.aliases)}
    local = data.get("local_words")
    if not isinstance(local, dict) or any(not set(v) <= set(LEVELS) for v in local.values()):
        raise DataFileError(path, f"local_words must map words to levels of {LEVELS}")
    relative = data.get("relative_words")
    if not isinstance(relative, list) or not all(isinstance(w, str) and w for w in relative):
        raise DataFileError(path, "relative_words must be a list of words")
    relations = tuple(_relation(path, r) for r in data.get("relations") or [])
    if not relations:
        raise DataFileError(path, "relations must be a non-empty list")
    alternatives = "|".join(re.escape(s) for s in sorted(spelling, key=len, reverse=True))
    local_words = {k: tuple(v) for k, v in local.items()}
    return Gazetteer(places, local_words, tuple(relative), relations, re.compile(alternatives), spelling)


def _places(path: Path, items: Any) -> dict[str, Place]:
    if not isinstance(items, list) or not items:
        raise DataFileError(path, "places must be a non-empty list")
    places: dict[str, Place] = {}
    for item in items:
        place = Place(item.get("name", ""), tuple(item.get("aliases", [])), item.get("level"), item.get("parent"))
        if not place.name or place.level not in LEVELS or place.name in places:
            raise DataFileError(path, f"place {item!r}: needs a new name and a level of {LEVELS}")
        places[place.name] = place
    for place in places.values():
        if place.parent is not None and place.parent not in places:
            raise DataFileError(path, f"place {place.name}: parent {place.parent} is not a place")
    return places


def _relation(path: Path, item: Any) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    if not isinstance(item, dict) or not item.get("name") or not item.get("cues"):
        raise DataFileError(path, f"relation {item!r}: needs a name and cues")
    return item["name"], tuple(item["cues"]), tuple(item.get("implies", []))
