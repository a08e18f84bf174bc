"""Generate jieba's user dictionary (``analysis/data/userdict.txt``) from the domain tables.

Candidate words come from ``agencies.json``, ``talent_categories.json`` and
``terms.txt`` (plus terms quoted in catalogue titles when given), and every candidate is
taught, compounds of real words included (技能大师工作室, 永久居留身份证): one term for
a domain concept gives it its own, rarer statistics and keeps a query for it from
matching its parts scattered over a passage. Its parts stay reachable: the index holds
a long word's dictionary sub-words at its position (search mode), and the query side
accepts each word as a word *or* as its characters in a row, so 第四条 ("申报市级工作室…
技能大师的条件") still answers "技能大师工作室申报条件". Enrichment builds its phrase
patterns from the same analyzer's words of each alias, one or several.

Frequencies follow jieba's own ``suggest_freq`` rule: the smallest frequency that makes
the word win over its best split, computed shortest word first so a long name also beats
a split into shorter user words. A fixed huge frequency would also "win", but it lets a
user word swallow characters of its neighbours (外国人 out of 外国人才), so the minimal
winning value, times a small safety factor for in-context competition, is used instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.text import normalize
from analysis.words import USER_DICT
from knowledge.tables import DATA_DIR, load_agencies, load_talent_categories, load_word_list

USERDICT = USER_DICT  # the analyzer reads it from analysis/data/
# Characters jieba keeps inside one block (its re_han_default); a dictionary word with any
# other character (、，（ ...) can never be produced by the segmenter, so it is split.
_BLOCK = re.compile(r"[\u4e00-\u9fd5a-z0-9+#&._%-]+")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,12})[”\"」』]")
# Margin over the minimal winning frequency: in running text a neighbour may pull one
# character away; doubling keeps the word whole without making it greedy.
SAFETY_FACTOR = 2
_MIN_LEN = 2


def _blocks(word: str) -> list[str]:
    return [b for b in _BLOCK.findall(normalize(word)) if len(b) >= _MIN_LEN]


def collect_words(data_dir: Path = DATA_DIR, titles: Iterable[str] = ()) -> list[str]:
    """All words the user dictionary must hold, normalised and de-duplicated."""
    raw: list[str] = []
    for agency in load_agencies(data_dir / "agencies.json"):
        raw += [agency.name, *agency.aliases]
    for category in load_talent_categories(data_dir / "talent_categories.json"):
        raw += [category.name, *category.aliases, *category.in_context]
    raw += load_word_list(data_dir / "terms.txt")
    # Whole titles are NOT added: one 20-character token would hide 技能大师工作室 inside
    # 北京市技能大师工作室建设管理办法 from a query. Terms quoted in a title are added.
    for title in titles:
        raw += _QUOTED.findall(title)
    words: dict[str, None] = {}
    for item in raw:
        for block in _blocks(item):
            words[block] = None
    return list(words)


def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _add_with_suggested_freq(tokenizer: Any, words: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for word in sorted(set(words), key=lambda w: (len(w), w)):
        # jieba.Tokenizer.suggest_freq(tune=False): product of the parts' probabilities.
        prob = 1.0
        for part in tokenizer.cut(word, HMM=False):
            prob *= tokenizer.FREQ.get(part, 1) / tokenizer.total
        freq = max(int(prob * tokenizer.total) + 1, 1) * SAFETY_FACTOR
        freq = max(freq, tokenizer.FREQ.get(word, 0))
        tokenizer.add_word(word, freq)
        out[word] = freq
    return out


def suggest_frequencies(words: Iterable[str]) -> dict[str, int]:
    """Every word with a frequency that keeps it whole (see the module docstring)."""
    return _add_with_suggested_freq(_tokenizer(), words)


def build_userdict(out: Path | None = USERDICT, data_dir: Path = DATA_DIR, titles: Iterable[str] = ()) -> list[str]:
    """Write the user dictionary ("word freq" lines, sorted) and return its lines."""
    freqs = suggest_frequencies(collect_words(data_dir, titles))
    lines = [f"{word} {freqs[word]}" for word in sorted(freqs)]
    if out is not None:
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines
