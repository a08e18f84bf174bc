"""Han typos: homophones picked from an input method's list, characters that look alike
(handwriting input), and other one-character slips, scored as a noisy channel (the
dictionary's probability of the corrected run against the slip's cost); searched on both
engines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from analysis.readings import _lookalike_groups, homophones, lookalikes, readings, spelled
from analysis.words import get_analyzer
from ingest.model import Document
from search_api.search.searcher import Searcher
from search_api.search.spelling import IndexChecks, corrections, default_speller
from search_api.search.types import SearchRequest
from tests.relevance.conftest import document

Make = Callable[[list[Document]], Searcher]


def test_a_character_is_offered_for_its_first_reading_only() -> None:
    assert readings("藉") == {"ji", "jie"}
    assert "籍" in homophones("藉") and "分" in homophones("份") and "作" in homophones("做")
    # 省 is read xiǎn only rarely: 献 (xiàn) is no slip for it, nor 死 (sǐ) for 以 (yǐ, rarely sì).
    assert "省" not in homophones("献") and "以" not in homophones("死")


def test_a_correction_must_make_the_run_likelier_than_the_slip_costs() -> None:
    speller = default_speller()
    assert speller.candidates("户藉", 0, 2)[0] == "户籍"  # a homophone, 9 nats likelier
    assert speller.candidates("信息技木", 0, 4)[0] == "信息技术"  # no homophone, 17 nats likelier
    assert "医科" not in speller.candidates("有一科不及格", 1, 2)  # 一科 reads well enough
    assert "中小学生" not in speller.candidates("中职学生", 0, 4)  # a real word, not a slip
    assert speller.candidates("户藉", 0, 2, homophones_only=True)[0] == "户籍"
    assert speller.candidates("信息技木", 0, 4, homophones_only=True) == []


def test_the_dictionary_probability_is_jiebas_route() -> None:
    analyzer = get_analyzer()
    assert analyzer.log_probability("户籍") > analyzer.log_probability("户藉") + 5


def index(found: set[str] | dict[str, int], held: dict[str, int]) -> IndexChecks:
    """The index's answers: ``found`` as passages found per text (a set: one each)."""
    counts = found if isinstance(found, dict) else dict.fromkeys(found, 1)
    return IndexChecks(found=lambda text: counts.get(text, 0), held=lambda text: held.get(text, 0))


def test_characters_that_look_alike_are_offered() -> None:
    # Handwriting input slips to the look, not the sound: 土 (tǔ) for 士 (shì), 帅 for 师.
    assert lookalikes("土") == "士" and lookalikes("师") == "帅" and lookalikes("的") == ""
    speller = default_speller()
    assert speller.candidates("博土后", 0, 3)[0] == "博士后"
    assert speller.candidates("律帅", 0, 2)[0] == "律师"


def test_a_lookalike_table_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "lookalikes.txt"
    bad.write_text("# groups\n土士\n师\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lookalikes.txt:3: a group is two or more distinct Han characters"):
        _lookalike_groups(bad)
    bad.write_text("土士\n士帅\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lookalikes.txt:2: 士 is in an earlier group already"):
        _lookalike_groups(bad)


def test_the_candidate_the_index_finds_most_often_is_taken() -> None:
    # 外界 is the commoner word in general text, 外籍 the one policies write (12 against 1,110).
    speller = default_speller()
    found = {"外界": 12, "外籍": 1110}
    assert corrections("外藉", speller, index(found, {}), ["外藉"]) == [("外藉", "外籍")]


def test_a_missing_unit_is_corrected_only_to_what_the_index_finds() -> None:
    speller = default_speller()
    assert corrections("户藉", speller, index({"户籍"}, {}), ["户藉"]) == [("户藉", "户籍")]
    assert corrections("户藉", speller, index(set(), {}), ["户藉"]) == []  # the index lacks it too
    assert corrections("户藉", speller, index({"户籍", "户藉"}, {}), ["户藉"]) == []  # exact wins
    assert corrections("户藉", speller, index({"户籍"}, {}), []) == []  # nothing missing
    # A count and its measure word (这/一/版) is no slip for 一般, however likely 一般 is.
    assert corrections("这一版报告", speller, index({"一般"}, {}), ["一版"]) == []


def test_a_lone_character_is_corrected_when_the_index_holds_the_word_far_more_often() -> None:
    speller = default_speller()
    # 积/份/落户: 积 stands alone, and 积分落户 is a dictionary word.
    assert corrections("积份落户", speller, index(set(), {"积分落户": 40}), [], ["积"]) == [("积份落户", "积分落户")]
    assert corrections("积份落户", speller, index(set(), {"积分落户": 40, "积份落户": 3}), [], ["积"]) == []
    # A window that cuts a token (少钱 of 多少/钱) is never looked at.
    assert corrections("多少钱", speller, index(set(), {"多少钱": 1, "烧钱": 50}), [], ["钱"]) == []


@pytest.mark.parametrize(
    ("query", "typed", "meant"),
    [
        ("户藉管理", "户藉", "户籍"),
        ("积份落户办法", "积份落户", "积分落户"),
        ("工做站", "工做站", "工作站"),
        ("博土后", "博土后", "博士后"),  # a character that looks alike
    ],
)
def test_a_homophone_typo_finds_the_clause(make_engine: Make, query: str, typed: str, meant: str) -> None:
    engine = make_engine(
        [
            document(
                "h",
                "户籍和积分落户管理办法",
                {
                    "第二条": "本市户籍管理适用本办法。",
                    "第三条": "积分落户按照年度申报。",
                    "第四条": "博士后科研工作站的人员可以申请。",
                },
            )
        ]
    )
    response = engine.search(SearchRequest(query=query, limit=10))
    assert response.query is not None and len(response.query.corrections) == 1
    fix = response.query.corrections[0]  # the longest dictionary word around the slip
    assert typed in fix["from"] and fix["to"] == fix["from"].replace(typed, meant)
    assert response.hits and meant in response.hits[0].text


def test_a_slip_the_index_holds_only_by_chance_is_corrected(make_engine: Make) -> None:
    # 人材引进: 人材 stood across 传承人|材料 in one passage, so it was "found" and never
    # corrected, and the search needed fewer words; 人才 is held far more often.
    clauses = {f"第{n}条": f"第{n}项人才引进措施按年度申报。" for n in range(1, 31)}
    clauses["第三十一条"] = "代表性传承人材料报文化主管部门。"
    engine = make_engine([document("t", "人才引进办法", clauses)])
    response = engine.search(SearchRequest(query="人材引进", limit=10))
    assert response.query is not None and response.query.corrections == [{"from": "人材", "to": "人才"}]
    assert response.hits and "人才引进" in response.hits[0].text
    # A question's rare word is its asker's own: left as typed.
    asked = engine.search(SearchRequest(query="人材引进有哪些措施", limit=10))
    assert asked.query is not None and asked.query.corrections == []


def test_words_that_read_well_are_left_as_typed(make_engine: Make) -> None:
    engine = make_engine([document("h", "劳动争议调解办法", {"第二条": "用人单位拒不履行调解协议的，可以申请仲裁。"})])
    for query in ("单位却不履行调解协议", "调解协议 一科"):
        response = engine.search(SearchRequest(query=query, limit=10))
        assert response.query is not None and response.query.corrections == [], query


def test_pinyin_reads_as_the_dictionary_words_it_spells() -> None:
    counts = get_analyzer().dictionary()
    assert spelled("hukou", counts)[0] == "户口" and spelled("jifenluohu", counts) == ["积分落户"]
    assert {"积分", "记分"} <= set(spelled("jifen", counts))
    assert spelled("talent", counts) == [] and spelled("pension", counts) == []  # no reading spells them


def test_a_query_typed_in_pinyin_finds_the_clause(make_engine: Make) -> None:
    # 记分 is held more often than 积分, but 记分 落户 finds nothing: the set that finds something wins.
    engine = make_engine(
        [
            document(
                "p",
                "户籍和积分落户管理办法",
                {"第二条": "本市户口迁移适用本办法。", "第三条": "积分落户按照年度申报。"},
            ),
            document(
                "t",
                "机动车驾驶人管理办法",
                {
                    "第二条": "驾驶人记分周期为十二个月。",
                    "第三条": "记分满十二分的，应当参加学习。",
                    "第四条": "记分情况可以查询。",
                },
            ),
        ]
    )
    response = engine.search(SearchRequest(query="hukou qianyi", limit=10))
    assert response.query is not None
    assert response.query.corrections == [{"from": "hukou", "to": "户口"}, {"from": "qianyi", "to": "迁移"}]
    assert response.hits and "户口迁移" in response.hits[0].text
    response = engine.search(SearchRequest(query="jifen luohu", limit=10))
    assert response.query is not None
    assert response.query.corrections == [{"from": "jifen", "to": "积分"}, {"from": "luohu", "to": "落户"}]
    assert response.hits and "积分落户" in response.hits[0].text
