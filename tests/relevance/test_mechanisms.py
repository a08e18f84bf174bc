"""Each ranking mechanism on a small corpus made for it, on both engines.

Every test first checks what would happen without the mechanism's help where that is
cheap to state (a passage without the query's literal words), so it can fail.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.model import Document
from search_api.index.elasticsearch.engine import ElasticsearchEngine
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search import ranking
from search_api.search.searcher import Searcher
from search_api.search.types import SearchRequest
from tests.relevance.conftest import document, ids

Make = Callable[[list[Document]], Searcher]


def test_abbreviation_finds_the_full_agency_name(make_engine: Make) -> None:
    engine = make_engine(
        [
            document("a", "考核办法", {"第一条": "市人力资源社会保障局负责工作室绩效考核。"}),
            document("b", "预算办法", {"第一条": "区财政局负责工作室预算编制。"}),
        ]
    )
    assert ids(engine, "市人社局 绩效考核") == ["a-0"]
    assert ids(engine, "北京市人力资源和社会保障局 考核") == ["a-0"]


def test_everyday_synonym_with_a_lower_weight_than_the_typed_word(make_engine: Make) -> None:
    engine = make_engine(
        [
            document("a", "便利措施", {"一": "持永久居留身份证的外籍人才可在京创办科技型企业。"}),
            document("b", "绿卡办法", {"一": "持绿卡的外籍人才可在京创办科技型企业。"}),
        ]
    )
    assert ids(engine, "绿卡 创办企业") == ["b-0", "a-0"]
    assert ids(engine, "永久居留身份证 创办企业") == ["a-0", "b-0"]


def test_a_compound_matches_with_a_synonym_of_its_part(make_engine: Make) -> None:
    # jieba keeps 高校教师 whole: texts writing 高等学校教师 had been out of reach (6 documents
    # for 高校教师 against 42 for 高等学校教师 on the archive).
    engine = make_engine(
        [
            document("a", "职称办法", {"第二条": "本办法适用于本市高等学校教师的职称评审。"}),
            document("b", "聘任办法", {"第二条": "本办法适用于本市高校教师的聘任。"}),
            document("c", "中学办法", {"第二条": "本办法适用于本市中学教师的职称评审。"}),
        ]
    )
    assert ids(engine, "高校教师") == ["b-0", "a-0"]  # as typed first
    assert ids(engine, "高校教师 职称评审") == ["a-0"]


def test_question_words_do_not_have_to_match(make_engine: Make) -> None:
    engine = make_engine(
        [
            document(
                "a", "工作室办法", {"第十七条": "市级工作室因领办人到达退休年龄，需更换领办人的，应提出书面申请。"}
            ),
            document("b", "问答", {"一": "遇到问题了怎么办？请咨询服务热线。"}),
        ]
    )
    assert ids(engine, "领办人退休了怎么办") == ["a-0"]


def test_compound_written_apart_still_matches(make_engine: Make) -> None:
    engine = make_engine(
        [
            document(
                "a",
                "管理办法",
                {"第四条": "申报市级工作室应同时符合以下条件：技能大师的条件。", "第五条": "工作室铭牌统一制发。"},
            )
        ]
    )
    assert ids(engine, "技能大师工作室申报条件")[0] == "a-0"


def test_doc_number_in_any_style_finds_the_document_first(make_engine: Make) -> None:
    engine = make_engine(
        [
            document(
                "a", "未来产业方案", {"一": "加快发展未来产业。", "二": "强化保障。"}, doc_number="京政办发〔2023〕20号"
            ),
            document("b", "解读", {"一": "京政办发〔2023〕20号文件提出加快发展未来产业。"}),
            document("c", "其他方案", {"一": "京政办发〔2023〕19号。"}, doc_number="京政办发〔2023〕19号"),
        ]
    )
    for query in ("京政办发2023 20号", "京政办发[2023]20号", "京政办发（2023）20号", "京政办发 〔2023〕 20 号"):
        found = ids(engine, query)
        assert set(found[:2]) == {"a-0", "a-1"}, query  # the document's own passages first
        assert "b-0" in found and "c-0" not in found, query  # then passages citing it


def test_named_article_comes_before_passages_citing_it(make_engine: Make) -> None:
    engine = make_engine(
        [
            document(
                "law",
                "中华人民共和国劳动合同法",
                {
                    "第十条": "建立劳动关系，应当订立书面劳动合同。",
                    "第四十七条": "经济补偿按劳动者在本单位工作的年限支付。",
                },
            ),
            document(
                "reg",
                "中华人民共和国劳动合同法实施条例",
                {"第二十二条": "用人单位应当依照劳动合同法第四十七条的规定向劳动者支付经济补偿。"},
            ),
        ]
    )
    for query in ("劳动合同法第四十七条", "劳动合同法 第47条"):
        assert ids(engine, query)[0] == "law-1", query


def test_english_query_meets_stemmed_abstract(make_engine: Make) -> None:
    engine = make_engine(
        [
            document("a", "Abstract", {"Abstract": "Beijing ranks 6th out of 118 cities in talent retention."}),
            document("b", "摘要", {"摘要": "北京在全球118个城市中位列第六。"}),
        ]
    )
    assert ids(engine, "ranking of cities") == ["a-0"]  # "ranking" and "ranks" meet as "rank"
    assert ids(engine, "retained talents") == ["a-0"]


def test_eligibility_question_prefers_the_clause_without_hiding_prose(make_engine: Make) -> None:
    clause = "工作室申报条件：具有技师职业资格。"
    engine = make_engine(
        [
            document("a", "工作室办法", {"第四条": clause}, eligible={"第四条"}),
            document("b", "工作室研究", {"一": clause}, kind="chapter"),
        ]
    )
    assert ids(engine, "工作室申报条件") == ["a-0", "b-0"]
    assert set(ids(engine, "工作室")) == {"a-0", "b-0"}  # a topic query keeps both


def test_the_version_in_force_comes_first(make_engine: Make) -> None:
    # Two versions of one regulation: the 2013 article is shorter, so it scores higher.
    old = "奖金数额由国务院规定。"
    new = "奖金数额由国务院科学技术行政部门会同财政部门提出，报国务院批准。"
    engine = make_engine(
        [
            document("v2013", "国家科学技术奖励条例", {"第二十五条": old}, date="2013-07-18", articles=1),
            document("v2020", "国家科学技术奖励条例", {"第二十五条": new}, date="2020-10-07", articles=1),
        ]
    )
    # Keywords too: 补贴 had listed 慈善法 of 2016 above its 2023 text.
    assert ids(engine, "奖金数额 国务院") == ["v2020-0", "v2013-0"]
    assert ids(engine, "奖金数额是不是国务院定的") == ["v2020-0", "v2013-0"]
    # Keywords naming the text by its title mean the text in force.
    assert ids(engine, "国家科学技术奖励条例 奖金数额 国务院") == ["v2020-0", "v2013-0"]

    def documents(query: str) -> list[str]:
        found = engine.search(SearchRequest(query=query, limit=10, group="document", facets=False)).documents
        return [d.doc_id for d in found or []]

    # The document view, which the page shows by default, alike.
    assert documents("奖金数额 国务院") == ["v2020-doc", "v2013-doc"]
    assert documents("奖金数额是不是国务院定的") == ["v2020-doc", "v2013-doc"]
    assert documents("国家科学技术奖励条例 奖金数额 国务院") == ["v2020-doc", "v2013-doc"]
    # By date the order is the dates', nothing moved: with a text of 2010 beside them, the
    # replaced 2013 text had gone below it.
    versions = [
        document("v2013", "国家科学技术奖励条例", {"第二十五条": old}, date="2013-07-18", articles=1),
        document("v2020", "国家科学技术奖励条例", {"第二十五条": new}, date="2020-10-07", articles=1),
        document("v2010", "国家奖金条例", {"第一条": "奖金数额由国务院规定。"}, date="2010-01-01", articles=1),
    ]
    for version in versions:  # dated as the pipeline dates them (ingest.citations)
        for passage in version.passages:
            passage.date = version.meta["date"]
    dated = make_engine(versions)
    for group in ("passage", "document"):
        request = SearchRequest(query="奖金数额 国务院", limit=10, group=group, sort="date", facets=False)
        found = dated.search(request)
        order = [d.doc_id for d in found.documents or []] if group == "document" else [h.doc_id for h in found.hits]
        assert order == ["v2020-doc", "v2013-doc", "v2010-doc"], group


def test_coverage_beats_a_short_passage_missing_a_word(make_engine: Make) -> None:
    engine = make_engine(
        [
            document(
                "a",
                "办法",
                {
                    "一": "工作室申报表。",
                    "二": "申报市级工作室的单位应当提交书面材料，经审核后符合条件的予以认定并公示。",
                },
            )
        ]
    )
    assert ids(engine, "工作室申报条件")[0] == "a-1"


def test_near_counts_the_gap_the_same_way_on_both_engines(make_engine: Make) -> None:
    engine = make_engine([document("a", "公司法", {"第五十九条": "股东会行使下列职权：选举董事。"})])
    for gap, expected in ((4, 1), (3, 0)):
        assert count(engine, ranking.Near("text", "会", "职", gap, 1.0)) == expected, gap
    # Both count a swap as two moves (Lucene's edit distance): 职 … 会 needs 4 + 2.
    assert [count(engine, ranking.Near("text", "职", "会", gap, 1.0)) for gap in (5, 6)] == [0, 1]


def test_words_match_by_bigrams_alike_on_both_engines(make_engine: Make) -> None:
    engine = make_engine(
        [
            document("a", "意见", {"一": "法官队伍实行选、育、管、用全链条管理。"}),
            document("b", "通知", {"一": "选派法官，培育人才，管理用人。"}),
            document("c", "标题里有选育管用的规定", {"一": "其他内容。"}),
        ]
    )
    grams = ranking.han_bigrams("选育管用")
    assert grams is not None
    # Punctuation between the characters does not part them; bigrams far apart match too
    # (the price of no positions), which is why ranking also scores the words.
    assert count(engine, ranking.AllOf(ranking.BIGRAM, grams, 1.0)) == 1
    assert count(engine, ranking.AllOf(ranking.BIGRAM, ("法官", "人才"), 1.0)) == 1
    assert count(engine, ranking.AllOf(ranking.HEADING_BIGRAM, grams, 1.0)) == 1
    # A word near on the engine with words; in characters (the plan's fallback) elsewhere.
    fallback = ranking.Near(ranking.TEXT, "官", "队", ranking.PROXIMITY_SLOP, 1.0)
    assert count(engine, ranking.Near(ranking.WORDS, "法官", "队伍", ranking.PROXIMITY_WORDS, 1.0, fallback)) == 1


def count(searcher: Searcher, clause: ranking.Clause) -> int:
    """Passages one plan node matches, through the engine's own translation."""
    engine = searcher.engine
    if isinstance(engine, ElasticsearchEngine):
        from search_api.index.elasticsearch import query as es_query

        body = {
            "query": {"bool": {"filter": [{"term": {"record_type": "passage"}}], "must": es_query.translate(clause)}}
        }
        return int(engine.versions.client.count(index=engine.alias, body=body)["count"])
    import tantivy

    assert isinstance(engine, TantivyEngine)
    query = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, engine._type_query("passage")), (tantivy.Occur.Must, engine._q.clause(clause))]
    )
    return int(engine._searcher().search(query, 1, count=True).count)  # type: ignore[attr-defined]


def test_highlight_marks_the_synonym_that_matched(make_engine: Make) -> None:
    engine = make_engine([document("a", "考核办法", {"第一条": "市人力资源社会保障局负责绩效考核。"})])
    hit = engine.search(SearchRequest(query="市人社局 绩效考核")).hits[0]
    assert "<mark>市人力资源社会保障局</mark>" in hit.highlight


def test_an_answer_phrase_counts_beside_the_querys_topic(make_engine: Make) -> None:
    # 人才公寓申请条件: another subject's 应当具备下列条件 had outranked the clause on 人才公寓.
    listed = "申请领取经营许可证，应当具备下列条件：（一）有运输工具；（二）有包装工具。"
    flat = "对引进的优秀人才，符合条件的，可以申请入住人才公寓。"
    # As in the archive, the topic is in other passages too (人才公寓 in 14 of 244,060).
    topic = {f"第{n}条": f"区人民政府应当建设第{n}批人才公寓。" for n in "一二三四五六七八"}
    heading = "第二章 申请条件 第六条"
    engine = make_engine(
        [
            document("a", "经营许可证管理办法", {heading: listed}, eligible={heading}),
            document("b", "养老服务条例", {"第四十五条": flat}, eligible={"第四十五条"}),
            document("c", "住房条例", topic),
        ]
    )
    assert ids(engine, "人才公寓申请条件")[0] == "b-0"
    assert ids(engine, "许可证申请条件")[0] == "a-0"  # the phrase still counts beside its topic


def test_the_clause_type_asked_for_outweighs_a_short_duty_naming_the_same_words(make_engine: Make) -> None:
    # 退役军人安置条例: 「有什么待遇」 had ranked the penalty items (未按照规定落实退役军人
    # 安置待遇的) above the clauses granting a 待遇, by their shortness alone.
    granting = "第八十条 退役军人安置后，依法享受国家和本市规定的相应待遇，所需经费由财政保障。"
    short = "（四）未按照规定落实退役军人安置待遇的；"
    order = []
    for kind in ("benefit", "obligation"):
        benefit = document("a", "安置条例", {"第八十条": granting})
        duty = document("b", "安置条例实施办法", {"（四）": short})
        benefit.passages[0].clause_type = "benefit"
        duty.passages[0].clause_type = kind
        order.append(ids(make_engine([benefit, duty]), "退役军人安置有什么待遇"))
    assert order == [["b-0", "a-0"], ["a-0", "b-0"]]  # of one type, the short item first
