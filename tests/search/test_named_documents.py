"""Which documents a query names, by title or by 文号 prefix (search_api.search.named_documents)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from search_api.search import ranking
from search_api.search.named_documents import MAX_DOCUMENTS, NamedDocuments, number_keys, query_parts, title_keys
from search_api.search.query import analyze_query


def docs(*titles: str, numbers: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    numbered = [*numbers, *[""] * (len(titles) - len(numbers))]
    return [
        {"id": f"d{i}", "title": t, "meta": {"doc_number": n}}
        for i, (t, n) in enumerate(zip(titles, numbered, strict=True))
    ]


def test_a_title_is_named_with_or_without_the_place_it_starts_with() -> None:
    assert title_keys("中华人民共和国劳动合同法") == ["中华人民共和国劳动合同法", "劳动合同法"]
    assert title_keys("北京市安全生产条例") == ["北京市安全生产条例", "安全生产条例"]
    assert title_keys("《中华人民共和国宪法》") == ["中华人民共和国宪法", "宪法"]
    # A document-type noun alone is no name (北京经济技术开发区 is a place of the gazetteer).
    assert title_keys("北京经济技术开发区条例") == ["北京经济技术开发区条例"]
    assert title_keys("附") == []
    # A part of a code is named by the code (民法典第五百七十七条) and by itself; a numbered
    # amendment is no part (刑法修正案（十一） does not name 刑法修正案（十二）).
    assert title_keys("中华人民共和国民法典（合同编）")[2:] == ["中华人民共和国民法典", "民法典"]
    assert title_keys("中华人民共和国刑法修正案（十二）") == ["中华人民共和国刑法修正案(十二)", "刑法修正案(十二)"]


def test_a_query_is_cut_at_spaces_punctuation_and_brackets_and_before_an_article() -> None:
    assert query_parts("《劳动合同法》第十四条") == ["劳动合同法"]
    assert query_parts("劳动合同法 第47条") == ["劳动合同法"]
    assert query_parts("劳動合同法，試用期") == ["劳动合同法", "试用期"]  # script folded
    assert query_parts("工会劳动法律监督") == ["工会劳动法律监督"]


def test_only_a_whole_part_names_a_document() -> None:
    named = NamedDocuments(docs("中华人民共和国劳动法", "中华人民共和国劳动合同法", "中华人民共和国劳动合同法实施条例"))
    assert named.named_by("劳动合同法").titled == ["d1"]
    assert named.named_by("中华人民共和国劳动法 第三条").titled == ["d0"]
    assert named.named_by("劳动合同法实施条例").titled == ["d2"]
    assert named.named_by("工会劳动法律监督").titled == []
    assert named.named_by("我想问劳动合同法的试用期").titled == []  # a question mentioning it


def test_a_name_many_documents_share_names_none() -> None:
    shared = NamedDocuments(docs(*[f"{city}市供热条例" for city in ["北京", "上海", "济南", "郑州"]]))
    assert len(shared.named_by("供热条例").titled) == 4  # each province's regulation of that name
    crowded = NamedDocuments([{"id": f"d{i}", "title": "北京市供热条例"} for i in range(MAX_DOCUMENTS + 1)])
    assert crowded.named_by("北京市供热条例").titled == []


def test_the_start_of_a_doc_number_names_the_documents_numbered_so() -> None:
    assert number_keys("京人社能发〔2023〕3号") == ["京人社能发", "京人社能发2023", "京人社能发20233"]
    assert number_keys("") == []
    named = NamedDocuments(
        docs(
            "甲办法",
            "乙办法",
            "丙办法",
            numbers=("京人社能发〔2023〕3号", "京人社能发〔2022〕7号", "京政办发〔2023〕20号"),
        )
    )
    assert named.named_by("京人社能发").numbered == ["d0", "d1"]
    assert named.named_by("京人社能发[2023]").numbered == ["d0"]  # any bracket, or none
    assert named.named_by("京人社能发 2022").numbered == ["d1"]
    assert named.named_by("京人社发").numbered == []  # no indexed 文号 starts so
    assert named.named_by("京人社能发〔2023〕3").numbered == ["d0"]  # the number without its 号
    assert named.named_by("京人社能发〔2023〕3号").numbered == []  # a whole 文号 is matched as one


def title_flags(plan: ranking.Plan | None) -> list[ranking.Clause]:
    """The plan's bonuses that hold only document-id flags."""
    assert plan is not None
    flags = (c for c in plan.should if isinstance(c, ranking.AnyOf))
    return [c for c in flags if all(isinstance(f, ranking.Flag) and f.field == ranking.DOC_ID for f in c.clauses)]


def test_a_named_document_gets_the_title_bonus_on_every_passage() -> None:
    aq = analyze_query("劳动合同法")
    assert title_flags(ranking.plan(aq)) == []
    named = title_flags(ranking.plan(replace(aq, titled=["d1"])))
    assert named == [ranking.AnyOf((ranking.Flag(ranking.DOC_ID, "d1", ranking.BOOST_TITLE),))]


def test_documents_named_by_doc_number_prefix_match_whatever_their_words() -> None:
    plan = ranking.plan(replace(analyze_query("京人社能发"), required=[], min_match=0, numbered=["d0", "d1"]))
    assert plan is not None
    flags = [ranking.Flag(ranking.DOC_ID, d, ranking.BOOST_DOC_NUMBER) for d in ("d0", "d1")]
    assert plan.must == ranking.AnyOf(tuple(flags))
