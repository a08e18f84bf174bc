"""Analyzer.words cuts as jieba's precise mode without HMM does, and normalize folds as
the character-by-character rule does (its table and its cache change only the cost)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.text import Token, _fold_char, _simplified_chars, normalize
from analysis.words import _WORD_CHAR, Analyzer

REPO = Path(__file__).resolve().parents[2]
ODD = [
    "",
    " ",
    "\r\n\r\n",
    "ABC ＡＢＣ abc123 4.5% c++ C# a-b_c &x",
    "𠀀𠀁中文𪚥abc",
    "㐀㐁\uf900\u9fd6\u9fffx",
    "ſK ﬁ",
    "—+—-__%%..",
    "１２３４５６７８９０ａｂｃ",
    "\t\u3000全角　空格\n\n第一条\u00a0x",
    "北京市人力资源和社会保障局、北京市财政局关于印发《北京市技能大师工作室建设管理办法》的通知",
    "iPhone15和5G基站，2023年GDP增长5.2%。",
]


def _jieba_words(analyzer: Analyzer, text: str) -> list[Token]:
    """The words as jieba itself cuts them (the analyzer's former implementation)."""
    norm = normalize(text)
    out: list[Token] = []
    pos = 0
    for piece in analyzer._tokenizer.cut(norm, HMM=False):
        end = pos + len(piece)
        if _WORD_CHAR.search(piece):
            out.append(Token(piece, pos, end))
        pos = end
    return out


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _lines() -> list[str]:
    lines: list[str] = []
    for path in [*sorted((REPO / "corpus").glob("*.txt")), *sorted((REPO / "tests/data/regulations").glob("*.txt"))]:
        lines += path.read_text(encoding="utf-8").splitlines()[::7]
    return lines


def test_words_are_jiebas(analyzer: Analyzer) -> None:
    for text in [*ODD, *_lines()]:
        assert analyzer.words(text) == _jieba_words(analyzer, text), text


def test_words_follow_added_words(analyzer: Analyzer) -> None:
    fresh = Analyzer()
    for word in ("人才发展报", "abc", "技能大师工"):
        fresh.add_word(word, 80_000)
    for text in [*ODD, *_lines()[::5], "北京人才发展报告的技能大师工作室abcd"]:
        assert fresh.words(text) == _jieba_words(fresh, text), text


def test_normalize_folds_each_character() -> None:
    text = "".join(chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000) + "𠀀ｘ"
    simplified = _simplified_chars()

    # Alone, each character folds by the table; a traditional one is read by OpenCC first,
    # whose form may itself fold once more (薴 → 苧 → 苎).
    def alone(c: str) -> str:
        once = simplified.get(c, _fold_char(c))
        return simplified.get(once, once) if c in simplified else once

    assert [normalize(c) for c in text] == [alone(c) for c in text]
    assert normalize(text) == normalize(text)  # cached
    assert len(normalize(text)) == len(text)  # offsets stay valid
    assert normalize("ＡＢＣ，一") == "abc,一"
    assert normalize("職業資格 人才引進") == "职业资格 人才引进"


def test_traditional_texts_are_read_phrase_by_phrase() -> None:
    """覆 is also a simplified character, so only the phrase tells 答覆 (答复) from 覆盖;
    a text without a traditional character is left as typed."""
    assert normalize("公交公司多久之內要給我答覆") == "公交公司多久之内要给我答复"
    assert normalize("反覆無常") == "反复无常"
    assert normalize("答覆") == "答覆"  # no traditional character: not a traditional text
    assert normalize("覆盖") == "覆盖"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("电竞选手职称评定", ["电竞", "选手", "职称评定"]),  # not 电 / 竞选 (an election) / 手
        ("网红主播落户", ["网红", "主播", "落户"]),  # not four single characters, which a query drops
        ("个税优惠", ["个税", "优惠"]),
        ("公租房申请", ["公租房", "申请"]),  # not 公 / 租房
        ("区块链工程师", ["区块链", "工程师"]),
    ],
)
def test_everyday_words_are_words(analyzer: Analyzer, text: str, words: list[str]) -> None:
    # knowledge/data/terms.txt teaches what jieba cut into single characters or wrong words.
    assert [t.text for t in analyzer.words(text)] == words
