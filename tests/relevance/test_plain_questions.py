"""Plain-language questions: what of a sentence is grammar, what it asks for, and the
bonuses that steer it to the answering clause (places, ages, penalties), on both engines.

Each engine test is built so that the mechanism decides it: it checks the order with the
mechanism's weight set to zero first, where that is how it could fail.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.model import Document
from knowledge.questions import load_amount_words, load_compound_heads, load_condition_words, load_query_words
from knowledge.tables import DataFileError
from search_api.index.plan import TEXT, Const, Match
from search_api.search import first_page, ranking
from search_api.search.query import analyze_query, minimum_match
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest
from tests.relevance.conftest import document, ids

Make = Callable[[list[Document]], Searcher]

# ------------------------------------------------------------------ analysis


def test_grammatical_characters_leave_a_run_of_single_characters() -> None:
    aq = analyze_query("在山东拿了政府人才项目的钱但没做出成果，会被追责吗")
    assert "追责" in aq.required
    assert not any(c in unit for unit in aq.required for c in "但没被在")
    assert analyze_query("高被引科学家数量").required[0] == "高被引"  # inside a run: kept


def test_counting_question_words_and_fillers_are_not_content() -> None:
    aq = analyze_query("想自己开个人律师事务所需要执业几年")
    assert not {"几年", "自己"} & set(aq.words)
    assert "time_limit" in aq.intents  # detected before the words are dropped
    assert "可以" not in analyze_query("公务员可以兼职当律师吗").required
    # 想知道, 了解一下: asking, not the topic (every nurse's answer had lacked 「知道」).
    assert not {"知道", "想知道", "了解"} & set(analyze_query("我是护士想知道执业注册要什么条件").words)
    assert "了解" not in analyze_query("我想了解一下人才引进政策").words
    # Bare 知道 stays a word of the law (自知道或者应当知道…之日起).
    assert "知道" in analyze_query("诉讼时效自知道或者应当知道权利受到损害之日起计算").words


@pytest.mark.parametrize(
    ("query", "focus", "bonuses"),
    [
        # 条件 is asked for (+5), 护士 the topic beside the intent's cue (+5).
        ("当护士需要什么条件", ["条件"], [15.0, 15.0]),
        # Every unit is topic, so none is favoured for it; 签证 is asked for.
        ("外国人来中国工作要办哪种签证", ["签证"], [10.0, 10.0, 10.0, 15.0]),
        ("护士条例 条件", [], [15.0, 15.0, 10.0]),  # keywords: the topic beside the cue
    ],
)
def test_the_word_after_an_interrogative_is_what_is_asked(query: str, focus: list[str], bonuses: list[float]) -> None:
    aq = analyze_query(query)
    assert aq.focus == focus
    assert [unit.bonus for unit in _coverage(aq)] == bonuses


def test_the_topic_counts_more_than_the_kind_of_answer() -> None:
    # 申请工作居住证需要什么材料: 申请 and 材料 say what is wanted, 工作居住证 what about; a
    # passage holding the two cues only (核材料管制条例) had ranked first.
    aq = analyze_query("申请工作居住证需要什么材料")
    bonus = {u: p.bonus for u, p in zip(aq.required, _coverage(aq), strict=True)}
    assert bonus["工作居住证"] > bonus["申请"]
    assert len({p.bonus for p in _coverage(analyze_query("人才公寓 国际学校"))}) == 1  # all topic


def _coverage(aq: object) -> list[ranking.Plus]:
    plan = ranking.plan(analyze_query(aq.raw))  # type: ignore[attr-defined]
    assert plan is not None and isinstance(plan.must, ranking.AnyOf)
    return [c for c in plan.must.clauses if isinstance(c, ranking.Plus)]


def test_a_directional_complement_leaves_its_verb() -> None:
    """批下来 is 批 (one character: it scores, it is not required); a word the synonym
    table knows keeps its complement (退回去 ↔ 退回, 追回); 下来 alone is a filler."""
    aq = analyze_query("材料交上去以后多长时间能批下来")
    assert aq.required == ["材料"] and {"交", "批"} <= set(aq.words)
    assert "退回去" in analyze_query("补助资金要退回去吗").required
    assert "下来" not in analyze_query("下来的通知").words


def test_an_age_also_matches_the_word_for_age() -> None:
    aq = analyze_query("我今年58岁了，还能不能申请技能大师工作室")
    assert "年龄" in aq.alternatives["58岁"] and "age" in aq.intents


def test_a_long_question_may_miss_one_unit_more_than_keywords() -> None:
    assert [minimum_match(n, question=True) for n in range(1, 8)] == [1, 2, 2, 3, 3, 3, 4]
    question = analyze_query("教师资格证一年可以申请认定几次")
    keywords = analyze_query("教师 资格证 申请 认定 一年")
    assert len(question.required) == len(keywords.required) == 5
    assert (question.min_match, keywords.min_match) == (3, 4)


def test_a_place_is_marked_and_a_single_character_scores_as_a_character() -> None:
    aq = analyze_query("北京的招聘单位可以向求职者收报名费吗")
    assert aq.places == ["北京"]
    plan = ranking.plan(aq)
    assert plan is not None
    assert any(isinstance(c, Const) and c.boost == ranking.BOOST_PLACE for c in plan.should)
    assert Match(TEXT, ("收",), ranking.BOOST_CHAR) in plan.should


def test_malformed_tables_fail_naming_the_file(tmp_path: Path) -> None:
    words = tmp_path / "query_stopwords.txt"
    for malformed in ("怎么办\n^被告\n", "怎么办\n>什么\n", "怎么办\n<下来\n", "*谁来\n"):  # 2 characters; not listed
        words.write_text(malformed, encoding="utf-8")
        with pytest.raises(DataFileError, match=r"query_stopwords\.txt"):
            load_query_words(words)
    amounts = tmp_path / "amount_words.json"
    amounts.write_text('{"units": {"岁": []}}', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"amount_words\.json"):
        load_amount_words(amounts)
    heads = tmp_path / "compound_heads.txt"
    heads.write_text("补贴\nallowance\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"compound_heads\.txt"):
        load_compound_heads(heads)
    conditions = tmp_path / "snippet_condition_words.txt"
    conditions.write_text("条件\nage\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"snippet_condition_words\.txt"):
        load_condition_words(conditions)


# ------------------------------------------------------------------ both engines


def test_a_question_naming_a_place_reaches_that_places_regulation(
    make_engine: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Twelve other regulations of the place (北京市园条例 …): 北京 is then common, its IDF low.
    others = [
        document(f"o{i}", f"北京市{c}条例", {"第一条": "本市加强管理。"})
        for i, c in enumerate("公园绿化供水节水排水防汛")
    ]
    engine = make_engine(
        [
            document("bj", "北京市人才市场管理条例", {"第十九条": "招聘单位不得向求职人员收取任何费用。"}),
            document("hn", "河南省人才流动条例", {"第二十三条": "招聘单位不得以任何名义向求职人员收取报名费。"}),
            *others,
        ]
    )
    query = "北京的招聘单位可以向求职者收报名费吗"
    monkeypatch.setattr(ranking, "BOOST_PLACE", 0.0)
    monkeypatch.setattr(first_page, "elsewhere", lambda named, payload: False)
    assert ids(engine, query)[0] == "hn-0"  # 报名费 is rarer than 北京
    monkeypatch.undo()
    assert ids(engine, query)[0] == "bj-0"
    # Each alone puts 北京's rule first: the place bonus, and 河南's rule moved below.
    monkeypatch.setattr(ranking, "BOOST_PLACE", 0.0)
    assert ids(engine, query)[:2] == ["bj-0", "hn-0"]
    monkeypatch.undo()
    monkeypatch.setattr(first_page, "elsewhere", lambda named, payload: False)
    assert ids(engine, query)[0] == "bj-0"


def test_an_age_question_reaches_the_age_limit(make_engine: Make) -> None:
    # Without 年龄 for 58岁, 第八条 holds more of the question (申报 twice) and comes first.
    clauses = {
        "第四条": "申报工作室的技能大师，距法定退休年龄2年以上。",
        "第八条": "技能大师工作室由所在单位申报，申报材料报区人力资源社会保障局。",
    }
    engine = make_engine([document("w", "技能大师工作室建设管理办法", clauses)])
    assert ids(engine, "我今年58岁了，还能不能申报技能大师工作室")[0] == "w-0"


def test_everyday_words_for_losing_and_replacing_reach_the_rules_words(make_engine: Make) -> None:
    # 身份证丢了怎么补办 had found 储蓄管理条例's 身份证明 and not 居民身份证法 第十一条
    # (居民身份证丢失的，应当申请补领): 丢了 and 补办 are the texts' 丢失/遗失 and 补领.
    clauses = {
        "第十一条": "居民身份证丢失的，应当申请补领。",
        "第十二条": "居民身份证有效期满的，应当换领新证。",
    }
    savings = {"第三十一条": "储户办理存单挂失时，应当出具本人身份证明，补办有关手续。"}
    engine = make_engine([document("id", "居民身份证法", clauses), document("sv", "储蓄管理条例", savings)])
    assert ids(engine, "身份证丢了怎么补办")[0] == "id-0"


@pytest.mark.parametrize("query", ["缴费满5年", "缴费满五年"])
def test_an_amount_is_a_whole_number_not_the_end_of_a_larger_one(make_engine: Make, query: str) -> None:
    # 十五年 holds 五年: 缴费满5年 had found 社会保险法 第十六条 (满十五年) first.
    clauses = {
        "第十六条": "参加基本养老保险的个人，达到法定退休年龄时累计缴费满十五年的，按月领取基本养老金。",
        "第四十六条": "失业人员失业前用人单位和本人累计缴费满五年不足十年的，领取失业保险金的期限最长为十八个月。",
    }
    engine = make_engine([document("s", "社会保险法", clauses)])
    assert ids(engine, query)[0] == "s-1"


def test_a_penalty_question_favours_the_penalty_clause(make_engine: Make) -> None:
    """多少钱 also asks for a condition, benefit or procedure (the catch-all intent); a
    penalty question's own clause type replaces those."""
    rules = document(
        "m",
        "人才市场管理条例",
        {
            "第八条": "申请人才中介许可证的单位，注册资金不少于10万元，经审核符合条件的，发给人才中介许可证。",
            "第二十六条": "无许可证从事人才中介服务的，没收违法所得，处1万元以上5万元以下的罚款。",
        },
    )
    rules.passages[0].clause_type, rules.passages[1].clause_type = "condition", "obligation"
    engine = make_engine([rules])
    assert analyze_query("没有许可证做人才中介要交多少钱").clause_types == ["condition", "benefit", "procedure"]
    assert ids(engine, "没有许可证做人才中介要交多少钱")[0] == "m-0"
    assert analyze_query("没有许可证做人才中介会被罚多少钱").clause_types == ["obligation"]
    assert ids(engine, "没有许可证做人才中介会被罚多少钱")[0] == "m-1"


def test_a_short_page_is_filled_below_the_full_matches(make_engine: Make) -> None:
    """A question of six units needs three; one clause holds four. A clause holding two
    (投诉, 电话) fills the page below it; one unit is not enough; keywords are not filled."""
    clauses = {
        "第八条": "机场出租车司机不得拒载乘客。",
        "第九条": "乘客可以拨打投诉电话12328反映问题。",
        "第十条": "服务电话应当公布。",
    }
    engine = make_engine([document("t", "客运服务管理办法", clauses)])
    question = "机场出租车司机拒载，怎么投诉，电话是多少？"
    response = engine.search(SearchRequest(query=question, limit=10, facets=True))
    assert [hit.id for hit in response.hits] == ["t-0", "t-1"]
    assert response.total == 2 and response.query.relaxed
    assert not set(response.query.unmatched)  # the page holds every unit between them
    second = engine.search(SearchRequest(query=question, offset=1, limit=1, facets=False))
    assert [hit.id for hit in second.hits] == ["t-1"]  # the same order page by page
    assert ids(engine, "机场 出租车 司机 拒载 投诉 电话") == ["t-0"]
