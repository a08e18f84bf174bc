"""The query as people type it: normalisation, question forms, amounts, and honest
matching (what matched, what did not, and nothing when only leftovers match).

Each behaviour is checked on both engines with small hand-made policies (``make_engine``),
so a failure names the mechanism, not a ranking accident.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from analysis.separable import rejoin_separable
from ingest.model import Document
from knowledge.questions import drop_question_forms
from search_api.search.query import analyze_query
from search_api.search.references import amount_forms
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest
from tests.relevance.conftest import document, ids

Make = Callable[[list[Document]], Searcher]


def housing() -> list[Document]:
    return [
        document(
            "h",
            "青年人才住房补贴办法",
            {
                "第三条": "青年人才住房补贴按月发放，标准为每人每月2000元，最长发放5年。",
                "第四条": "申请人应当具有职业资格证书，年龄在35周岁以下。",
                "第五条": "量子科技企业引进的青年人才同等适用本办法。",
            },
        )
    ]


# ----------------------------------------------------------------- analysis alone


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("青年人才 住房 补贴", "青年人才住房补贴"),  # spaces between Han words
        ("職業資格證書", "职业资格证书"),  # traditional characters
        ("ＡＢＣ人才", "abc人才"),  # full-width forms
        ("我今年四十岁还能不能申请", "我今年四十岁申请"),  # A不A and fillers
        ("我去年刚退了休还能申请吗", "我去年刚退休还能申请吗"),  # a separable verb split as spoken
        ("明天去报个名", "明天去报名"),
    ],
)
def test_variants_analyse_alike(typed: str, same_as: str) -> None:
    assert analyze_query(typed).required == analyze_query(same_as).required


def test_question_forms_are_dropped_by_rule() -> None:
    assert drop_question_forms("可不可以办理").strip() == "办理"
    assert drop_question_forms("有没有补贴").strip() == "补贴"
    assert drop_question_forms("能申请吗").strip() == "能申请"
    assert drop_question_forms("人不多") == "人不多"  # no repeated verb: no question form
    # 么 is a particle after a verb (可以么) but the end of 什么 / 怎么: those stay whole,
    # or 是指什么 would lose its intent and leave 指什 as a unit.
    assert drop_question_forms("可以么").strip() == "可以"
    assert drop_question_forms("商业秘密是指什么") == "商业秘密是指什么"
    assert drop_question_forms("失业了怎么") == "失业了怎么"


@pytest.mark.parametrize(
    ("number", "unit", "forms"),
    [
        ("五", "年", ["5年", "五年"]),
        ("三十", "万元", ["30万元", "三十万元", "300000元"]),
        # Five digits and more were refused by the numeral writer: the query failed.
        ("50000", "元", ["50000元", "五万元", "5万元"]),
        ("12000", "元", ["12000元", "一万二千元", "1.2万元"]),
        ("127535", "元", ["127535元", "十二万七千五百三十五元"]),
        ("60", "周岁", ["60周岁", "六十周岁"]),
        ("两", "年", ["2年", "二年", "两年"]),
        ("2023", "年", ["2023年", "二〇二三年"]),
        ("7", "级", ["7级", "七级"]),  # 伤残等级: 评为7级 for 七级伤残
        ("三", "名", ["3名", "三名"]),
        ("0", "元", []),  # no other notation to read
        ("一百", "块", ["100元", "一百元"]),  # money as people say it
        ("二十", "块钱", ["20元", "二十元"]),
        ("一", "块", []),  # 一块宅基地: a piece, not a yuan
        ("三十", "万", ["30万元", "三十万元", "300000元"]),  # 三十万 as people say it
        ("千", "万", []),  # 千万不要: an adverb
    ],
)
def test_amounts_in_both_notations(number: str, unit: str, forms: list[str]) -> None:
    assert amount_forms(number, unit) == forms


def test_an_amount_is_one_unit_with_its_other_notation() -> None:
    aq = analyze_query("最长发放五年")
    assert "五年" in aq.required and aq.alternatives["五年"] == ["5年"]


@pytest.mark.parametrize(
    ("query", "unit", "other"),
    [("能飞到一百二十米以上吗", "一百二十米", "120米"), ("十个工作日内答复", "十个工作日", "10个工作日")],
)
def test_a_measure_is_one_unit_with_its_other_notation(query: str, unit: str, other: str) -> None:
    aq = analyze_query(query)
    assert unit in aq.required and other in aq.alternatives[unit]


@pytest.mark.parametrize(
    ("query", "unit", "parts"),
    [("补贴3.5万元", "3.5万元", {"3", "5"}), ("增长12.5%", "12.5%", {"12", "5"}), ("目录2.0版", "2.0", {"2", "0"})],
)
def test_a_decimal_is_one_unit(query: str, unit: str, parts: set[str]) -> None:
    # jieba cuts 3.5 at the point; 3 and 5 apart are two numbers any passage may hold.
    aq = analyze_query(query)
    assert unit in aq.required and not parts & set(aq.words)


@pytest.mark.parametrize(
    ("query", "unit"), [("技能大师工作室能给三十万吗", "三十万"), ("资助３０万", "30万"), ("一万块", "一万块")]
)
def test_a_bare_wan_is_money(query: str, unit: str) -> None:
    # 三十万 was a word of its own, matched by no clause's 30万元 (rank 19 against 1 for 30万元).
    aq = analyze_query(query)
    assert unit in aq.required and any(form.endswith("万元") for form in aq.alternatives[unit])


def test_a_bare_wan_of_people_is_no_money() -> None:
    assert "300000元" not in analyze_query("常住人口三十万人").highlight_terms


def test_a_word_holding_a_count_stays_whole() -> None:
    # 一次性 is a word, not the count 一次 followed by 性.
    aq = analyze_query("一次性补助金按几个月工资算")
    assert "一次性" in aq.required and "一次" not in aq.required


def test_only_a_split_separable_verb_is_rejoined() -> None:
    assert rejoin_separable("想在泉池里游个泳") == "想在泉池里游泳"
    assert rejoin_separable("孩子已经落了户") == "孩子已经落户"
    # Cut otherwise by jieba, counted or pointed at, or no word of some currency: as typed.
    for typed in ("通过考试", "为了解决", "一个人", "这个人", "三个月", "上个月", "游 个 泳"):
        assert rejoin_separable(typed) == typed


# ----------------------------------------------------------------- both engines


def test_traditional_spaced_and_numeral_queries_find_the_clause(make_engine: Make) -> None:
    engine = make_engine(housing())
    assert ids(engine, "職業資格證書")[:1] == ["h-1"]
    assert ids(engine, "青年人才 住房 补贴")[:1] == ids(engine, "青年人才住房补贴")[:1]
    assert ids(engine, "住房补贴最长发放五年")[:1] == ["h-0"]
    assert ids(engine, "三十五周岁以下")[:1] == ["h-1"]


def test_a_question_with_a_split_verb_finds_the_rule_on_that_verb(make_engine: Make) -> None:
    clauses = {"第六条": "禁止在名泉泉池内游泳、洗涤。", "第七条": "泉池周边应当设置警示标志。"}
    engine = make_engine([document("q", "名泉保护条例", clauses)])
    assert ids(engine, "夏天想在泉池里游个泳凉快凉快，允许吗")[:1] == ["q-0"]


def test_a_decimal_matches_its_digits_in_a_row(make_engine: Make) -> None:
    clauses = {"第三条": "一次性给予3.5万元安家补贴。", "第四条": "给予5万元启动资金，分3年拨付。"}
    engine = make_engine([document("d", "人才安家办法", clauses)])
    assert ids(engine, "安家补贴3.5万元") == ["d-0"]
    assert ids(engine, "3.5万元") == ["d-0"]


def test_what_matched_is_said(make_engine: Make) -> None:
    engine = make_engine(housing())
    response = engine.search(SearchRequest(query="青年人才住房补贴", limit=5))
    assert response.query is not None
    assert response.query.terms and response.query.matched == response.query.terms
    assert not response.query.unmatched and not response.query.relaxed


def test_a_run_typed_without_spaces_is_found_as_typed_first(make_engine: Make) -> None:
    # 创业担保贷款: three units, two of which suffice; passages saying 担保 and 贷款 over and
    # over had ranked the four that hold the term as typed 1, 70, 73 and 76.
    clauses = {
        "第三条": "商业银行贷款，应当对借款人的借款用途、偿还能力进行严格审查。担保贷款的担保人应当具备担保能力，"
        "贷款担保合同应当载明担保贷款的金额；担保贷款到期，担保人承担贷款担保责任。",
        "第四条": "自主创业的人员，可以按照规定申请创业担保贷款，财政部门给予贴息。本市建立健全公共服务体系。",
        "第五条": "创业人员可以参加创业培训。担保机构为企业贷款提供担保。",
    }
    engine = make_engine([document("c", "就业促进条例", clauses)])
    assert ids(engine, "创业担保贷款")[:1] == ["c-1"]
    # A space between Han words changes no match (issue 11): the run is the same.
    assert analyze_query("创业担保贷款").runs == analyze_query("创业 担保 贷款").runs == ["创业担保贷款"]


def test_a_page_past_the_last_says_what_the_first_said(make_engine: Make) -> None:
    # Most of the units suffice, so page 1 reads its passages for the units they hold; a
    # page past the last has none to read, and had said every unit 未找到 beside the total.
    engine = make_engine(housing())
    for query in ("住房 年龄 证书", "住房补贴 年龄 证书 火锅"):
        first = engine.search(SearchRequest(query=query, limit=5))
        past = engine.search(SearchRequest(query=query, limit=5, offset=50))
        assert first.query is not None and past.query is not None and first.total == past.total > 0
        assert not past.hits
        said = (past.query.matched, past.query.unmatched, past.query.relaxed)
        assert said == (first.query.matched, first.query.unmatched, first.query.relaxed), query


def test_a_benefit_named_by_its_modifier_is_reported_unless_found(make_engine: Make) -> None:
    """交通 and 补贴 each found, but not 交通补贴: the page says so; found, it does not."""
    clauses = {"第三条": "交通便利的区域优先建设人才公寓。", "第四条": "符合条件的人才可以申请住房补贴。"}
    engine = make_engine([document("t", "人才服务办法", clauses)])
    response = engine.search(SearchRequest(query="人才交通补贴", limit=5))
    assert response.total and response.query is not None
    assert response.query.relaxed and "交通补贴" in response.query.unmatched
    engine = make_engine([document("u", "人才服务办法", {**clauses, "第五条": "每月发放交通补贴300元。"})])
    found = engine.search(SearchRequest(query="人才交通补贴", limit=5)).query
    assert found is not None and "交通补贴" not in found.unmatched


def test_a_missing_word_is_named_and_the_rest_searched(make_engine: Make) -> None:
    engine = make_engine(housing())
    response = engine.search(SearchRequest(query="量子科技火锅", limit=5))
    assert response.query is not None
    assert response.query.relaxed and response.query.unmatched == ["火锅"]
    assert [h.id for h in response.hits] == ["h-2"]


def test_only_leftovers_give_nothing(make_engine: Make) -> None:
    engine = make_engine(housing())
    response = engine.search(SearchRequest(query="<script>alert(2000)</script>", limit=5))
    assert response.total == 0 and response.hits == []
    assert response.query is not None and "alert" in response.query.unmatched
