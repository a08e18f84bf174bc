"""The readings of Han characters (pinyin without tones), for homophone typos, and the
characters that look alike (``data/lookalikes.txt``), for typos of handwriting input.

Chinese is typed by its sound: an input method lists the characters of a reading and the
writer picks one, so the commonest typo is a character of the same sound (户藉 for 户籍,
积份 for 积分, 工做站 for 工作站), not one that looks alike or sits next to it on a
keyboard. :mod:`search_api.search.spelling` offers the dictionary words that differ from
a typed run by such a character.

The readings are pypinyin's character table, tones dropped (input methods are typed
without them). A character is offered for a reading only when that is its first, most
common reading: the writer of 户藉 meant a character read jí, and 藉 is offered for jí,
but 省 is not offered for xiǎn, a rare reading of it, so 浙江献 is no typo of 浙江省.
Only the 6,763 characters of GB 2312, the common ones an input method lists first, are
offered at all (a sixth of pypinyin's for a reading such as shì).

Handwriting input (common on phones), stroke-based input methods and text recognition
slip the other way: to a character that looks alike (博土后, 律帅, 居往证). Those pairs are
a curated table, :func:`lookalikes`, which the speller offers at a higher cost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

from analysis.text import HAN


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Character → its toneless readings, and reading → the characters whose first
    reading it is (built once from about 42,000 characters, a fraction of a second)."""
    by_char: dict[str, frozenset[str]] = {}
    by_reading: dict[str, list[str]] = {}
    for code, readings in pinyin_dict.items():
        char = chr(code)
        toneless = [to_normal(reading) for reading in readings.split(",")]
        by_char[char] = frozenset(toneless)
        if _common(char):
            by_reading.setdefault(toneless[0], []).append(char)
    return by_char, {reading: "".join(chars) for reading, chars in by_reading.items()}


def _common(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def readings(char: str) -> frozenset[str]:
    """The toneless readings of one character (empty for a character with none)."""
    return _tables()[0].get(char, frozenset())


@lru_cache(maxsize=8192)  # asked per character of every run a query may have mistyped
def homophones(char: str) -> str:
    """The other characters whose first reading is a reading of ``char``: those a writer
    may have meant when typing ``char`` (in table order)."""
    by_char, by_reading = _tables()
    found = dict.fromkeys(c for reading in by_char.get(char, ()) for c in by_reading.get(reading, ""))
    found.pop(char, None)
    return "".join(found)


LOOKALIKES = Path(__file__).resolve().parent / "data" / "lookalikes.txt"
_HAN_GROUP = re.compile(rf"[{HAN}]{{2,}}")


@lru_cache(maxsize=1)
def _lookalike_groups(path: Path = LOOKALIKES) -> dict[str, str]:
    """Character → the group of characters it looks like (itself included), from ``path``;
    a line that is not two or more distinct Han characters, or a character in two lines,
    is refused with the file and line named."""
    groups: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not _HAN_GROUP.fullmatch(line) or len(set(line)) != len(line):
            raise ValueError(f"{path}:{number}: a group is two or more distinct Han characters, not {line!r}")
        for char in line:
            if char in groups:
                raise ValueError(f"{path}:{number}: {char} is in an earlier group already")
            groups[char] = line
    return groups


def lookalikes(char: str) -> str:
    """The other characters that look like ``char`` (博土后: 士 for 土), in table order."""
    return _lookalike_groups().get(char, char).replace(char, "")


MAX_SYLLABLE = 6  # letters of the longest reading (zhuang, shuang)
MAX_STEPS = 20_000  # characters tried per spelled text: a long text stops, never hangs


def spelled(latin: str, dictionary: Mapping[str, int], limit: int = 8) -> list[str]:
    """The dictionary words whose readings, run together, spell ``latin`` (hukou → 户口,
    jifenluohu → 积分落户), for a query typed in pinyin without an input method: each
    syllable's characters are tried (first readings, GB 2312) only while the characters so
    far begin a dictionary word (``dictionary``: word → count, 0 for a prefix of a word
    only, as jieba keeps it). At most ``limit`` words, the commonest first."""
    by_reading = _tables()[1]
    found: dict[str, int] = {}
    steps = 0
    stack = [(0, "")]
    while stack and steps < MAX_STEPS:
        at, prefix = stack.pop()
        for size in range(1, min(MAX_SYLLABLE, len(latin) - at) + 1):
            for char in by_reading.get(latin[at : at + size], ""):
                steps += 1
                text = prefix + char
                count = dictionary.get(text)
                if count is None:
                    continue  # no word starts so
                if at + size == len(latin):
                    if count and len(text) > 1:
                        found[text] = count
                else:
                    stack.append((at + size, text))
    return sorted(found, key=lambda w: -found[w])[:limit]
