"""ClauseSplitter and parse_regulation_header on regulations copied from the archive into
tests/data/regulations: tables of contents, appendices, headers with their bodies, events
and dates, titles quoted in titles, doc numbers."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import Pipeline
from ingest.segment.clauses import count_structure, parse_regulation_header
from ingest.segment.policy_document import policy_document_from_text
from ingest.segment.reg_header import version_date
from tests.ingest.clause_texts import article, items_of, regulation, split_text, units


def test_regulation_with_toc_and_unnumbered_chapters() -> None:
    # Its 目录 lists eight chapters; the body spells the first three without "第N章".
    raw, passages = regulation("重庆市长江防护林体系管理条例")
    assert count_structure(passages) == (8, 44)
    assert article(passages, 1).path == ["第一章 总则", "第一条"]
    assert article(passages, 7).path[0] == "第二章 规划管理"
    assert article(passages, 44).path[0] == "第八章 附则"
    header = parse_regulation_header(raw)
    assert header["title"] == "重庆市长江防护林体系管理条例"
    assert header["agency"] == "重庆市人民代表大会常务委员会"
    assert [(e["event"], e["date"]) for e in header["dates"][:3]] == [
        ("通过", "1998-05-29"), ("修正", "2010-07-23"), ("修正", "2019-05-31"),
    ]  # fmt: skip


def test_regulation_with_one_line_toc() -> None:
    raw, passages = regulation("重庆市各级人民代表大会常务委员会人事任免工作条例")
    assert count_structure(passages) == (6, 37)
    header = parse_regulation_header(raw)
    events = [(e["event"], e["date"]) for e in header["dates"] if e.get("source") != "body"]
    assert events == [
        ("通过", "1997-10-17"), ("修订", "2004-05-30"), ("修正", "2007-07-27"),
        ("修正", "2016-03-31"), ("修正", "2022-06-10"),
    ]  # fmt: skip
    assert header["dates"][3]["agency"] == "重庆市人民代表大会"  # a congress session, not its standing committee


def test_national_law_with_appendix() -> None:
    raw, passages = regulation("国徽法")
    assert count_structure(passages) == (0, 19)
    assert article(passages, 19).text == "第十九条 本法自1991年10月1日起施行。"  # the 附件 is not in it
    appendix = units(passages, "appendix")
    assert len(appendix) == 1
    assert appendix[0].path == ["附件"]
    assert "国徽之涂色为金红二色" in appendix[0].text
    assert len(article(passages, 17).attrs["paragraphs"]) == 3
    assert [p.locator for p in items_of(passages, 4)][-1] == "第四条（九）"
    header = parse_regulation_header(raw)
    assert header["agency"] == "全国人民代表大会常务委员会"
    assert header["dates"][0] == {"event": "通过", "date": "1991-03-02", "agency": "全国人民代表大会常务委员会"}
    assert header["dates"][-1] == {"event": "施行", "date": "1991-10-01", "source": "body"}


def test_parenthesised_header() -> None:
    header = parse_regulation_header(
        [
            "北京市实施《中华人民共和国节约能源法》办法",
            "（2004年6月18日北京市第十二届人民代表大会常务委员会第十二次会议通过　根据2010年12月23日"
            "北京市第十三届人民代表大会常务委员会第二十二次会议《关于修改部分地方性法规的决定》修正）",
            "第一条　为了……",
        ]
    )
    assert header["agency"] == "北京市人民代表大会常务委员会"
    assert [(e["event"], e["date"]) for e in header["dates"]] == [("通过", "2004-06-18"), ("修正", "2010-12-23")]


def test_header_with_two_bodies_and_fullwidth_digits() -> None:
    header = parse_regulation_header(
        [
            "某解释",
            "2011年3月28日 最高人民法院审判委员会第1516次会议、"
            "2011年4月13日最高人民检察院第十一届检察委员会第60次会议通过",
            "２０１１年７月２０日 最高人民法院、最高人民检察院公告公布",
            "2011年8月1日 施行",
        ]
    )
    assert [e["event"] for e in header["dates"]] == ["通过", "通过", "公布", "施行"]
    assert header["dates"][2]["date"] == "2011-07-20"
    assert header["agency"] == "最高人民法院审判委员会、最高人民检察院检察委员会"  # both adopted it
    assert header["agencies"] == [
        "最高人民法院审判委员会",
        "最高人民检察院检察委员会",
        "最高人民法院",
        "最高人民检察院",
    ]


def test_a_body_named_by_its_level_alone_gets_its_place() -> None:
    header = parse_regulation_header(
        [
            "杭州市民用建筑节能条例",
            "2014年8月29日 市十二届人大常委会第二十一次会议通过",
            "2014年11月28日 省十二届人大常委会第十四次会议批准",
            "2014年12月31日 杭州市人民代表大会常务委员会第36号公布",
        ]
    )
    assert header["agency"] == "杭州市人民代表大会常务委员会"  # the fuller name further down
    assert header["agencies"] == ["杭州市人民代表大会常务委员会", "省人民代表大会常务委员会"]
    by_title = parse_regulation_header(["宁波市人民调解条例", "2015年1月1日 市十四届人大常委会第十八次会议通过"])
    assert by_title["agency"] == "宁波市人民代表大会常务委员会"  # the place the title opens with
    unknown = parse_regulation_header(["物业管理条例", "2015年1月1日 市十四届人大常委会第十八次会议通过"])
    assert unknown["agency"] == "市人民代表大会常务委员会"  # no place anywhere: left as written


def test_header_events_and_agencies_of_state_council_rules() -> None:
    header = parse_regulation_header(
        [
            "医疗器械监督管理条例",
            "2000年1月4日 中华人民共和国国务院令第276号公布",
            "2014年2月12日 国务院第39次常务会议修订通过",
            "2017年5月4日 《国务院关于修改〈医疗器械监督管理条例〉的决定》修订",
            "二〇二一年二月九日 国务院第119次常务会议修订通过",
        ]
    )
    assert [(e["event"], e["date"]) for e in header["dates"]] == [
        ("公布", "2000-01-04"), ("修订", "2014-02-12"), ("修订", "2017-05-04"), ("修订", "2021-02-09"),
    ]  # fmt: skip
    assert header["agency"] == "国务院"


def test_a_body_without_the_year_of_its_meeting_and_an_act_that_names_none() -> None:
    header = parse_regulation_header(
        ["某规定", "2021年11月16日 国家互联网信息办公室2021年第20次室务会议审议通过", "2022年3月1日 施行"]
    )
    assert header["agency"] == "国家互联网信息办公室"
    header = parse_regulation_header(
        ["某解释", "1994年10月27日 印发，根据", "2020年12月23日 最高人民法院审判委员会第1823次会议通过"]
    )
    assert header["agencies"] == ["最高人民法院审判委员会"]  # 印发 is what was done, not who did it
    # A header that lost the 次 of its meeting (重庆市动物防疫条例): the body, not 委员会第四.
    header = parse_regulation_header(["某条例", "2013年7月24日 重庆市第四届人民代表大会常务委员会第四会议通过"])
    assert header["agency"] == "重庆市人民代表大会常务委员会"
    # A congress's name one slip away (the archive's own headers) is that name: a facet value
    # of its own hid the text from a filter by the body (北京市邮政通信条例).
    for slip, body in (
        ("北京市第九届人民代表大会常务员会第十次会议通过", "北京市人民代表大会常务委员会"),
        ("广东省第十届人民代表大会常委员会第五次会议通过", "广东省人民代表大会常务委员会"),
        ("洛阳市第十四届人民代表大会常务委员会会第八次会议通过", "洛阳市人民代表大会常务委员会"),
        ("临沂市第十八届人民代表会第三次会议通过", "临沂市人民代表大会"),
        ("郑州市第十三届人民代表大会常务委员第五次会议通过", "郑州市人民代表大会常务委员会"),
    ):
        assert parse_regulation_header(["某条例", f"2013年7月24日 {slip}"])["agency"] == body, slip
    # Who promulgates a text issues it, not the body that only approved it (打捞沉船管理办法,
    # 信访工作条例 had been credited to 国务院 and 中共中央政治局).
    header = parse_regulation_header(["某办法", "1957年9月7日 国务院批准", "1957年10月11日 交通部发布"])
    assert header["agency"] == "交通部" and header["agencies"] == ["国务院", "交通部"]
    header = parse_regulation_header(
        ["某条例", "2022年1月24日 中共中央政治局会议审议批准", "2022年2月25日 中共中央、国务院发布"]
    )
    assert header["agency"] == "中共中央、国务院"
    text = "信访工作条例\n2022年2月25日 中共中央、国务院发布\n第一条 为了加强信访工作，制定本条例。\n"
    document = Pipeline().parse_bytes(Path("x.txt"), text.encode("utf-8"), "x.txt").documents[0]
    assert document.meta["agencies"] == ["中共中央", "国务院"]  # each a facet value
    # An event or an act is no body: 起生效, 《…的决定》修改, 以…号通知印发, 总理办公会议.
    for line in (
        "2019年10月1日 起生效）",
        "2022年3月24日 《国家市场监督管理总局关于修改和废止有关规章的决定》修改",
        "1993年8月7日 最高人民法院以法发〔1993〕15号通知印发）",
        "1998年9月17日，我院以法〔1998〕86号通知印发了《…的意见》",
    ):
        header = parse_regulation_header(["某规定", "2019年3月25日 最高人民法院审判委员会第1763次会议通过", line])
        assert header["agencies"] in (["最高人民法院审判委员会"], ["最高人民法院审判委员会", "最高人民法院"]), line


def test_who_revised_a_text_issued_the_version_it_holds() -> None:
    # 监察法 2024: adopted by the congress, amended by its standing committee: both issued it.
    header = parse_regulation_header(
        [
            "中华人民共和国监察法",
            "2018年3月20日 第十三届全国人民代表大会第一次会议通过",
            "2024年12月25日 第十四届全国人民代表大会常务委员会第十三次会议"
            "《关于修改〈中华人民共和国监察法〉的决定》修正",
        ]
    )
    assert header["agency"] == "全国人民代表大会、全国人民代表大会常务委员会"
    # A revision by a decision the header quotes is the decision's issuer's (放假办法 2024
    # had been 政务院's alone, the body that issued it in 1949).
    header = parse_regulation_header(
        [
            "全国年节及纪念日放假办法",
            "1949年12月23日 政务院发布",
            "1999年9月18日 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》第一次修订",
            "2024年11月10日 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》第四次修订）",
        ]
    )
    assert header["agency"] == "政务院、国务院"
    assert header["dates"][-1] == {"event": "修订", "date": "2024-11-10", "agency": "国务院"}
    # A city's revision approved by its province is the city's.
    header = parse_regulation_header(
        [
            "郑州市某条例",
            "2008年6月26日 郑州市第十二届人民代表大会常务委员会第三十七次会议通过",
            "2008年9月26日 河南省第十一届人民代表大会常务委员会第五次会议批准",
            "2018年11月29日 河南省第十三届人民代表大会常务委员会第七次会议批准的"
            "《郑州市人民代表大会常务委员会关于修改部分地方性法规的决定》第一次修正",
        ]
    )
    assert header["agency"] == "郑州市人民代表大会常务委员会"
    # A quoted title that decides no revision names no body of one.
    header = parse_regulation_header(["某条例", "2001年1月2日 某市人民政府发布", "2010年3月4日 依照《某法》修正"])
    assert header["agency"] == "某市人民政府"


def test_header_without_dates() -> None:
    header = parse_regulation_header(["北京市技能大师工作室建设管理办法", "京人社能发〔2023〕3号", "第一章 总 则"])
    assert header["title"] == "北京市技能大师工作室建设管理办法"
    assert header["doc_number"] == "京人社能发〔2023〕3号"
    assert header["agency"] is None
    assert header["dates"] == []


def test_a_text_is_dated_by_the_version_it_holds() -> None:
    # Two versions of one regulation share their adoption date; each text's latest
    # amendment or revision tells them apart. 施行 is when a version takes effect.
    head = "北京市安全生产条例\n2004年7月29日 北京市第十二届人民代表大会常务委员会第十三次会议通过\n"
    older = (
        head + "2016年11月25日 北京市第十四届人民代表大会常务委员会第三十一次会议修正\n第一条 为了安全，制定本条例。"
    )
    newer = older.replace("第一条", "2022年5月25日 北京市第十五届人民代表大会常务委员会第三十九次会议修订\n第一条")
    dates = [policy_document_from_text(text, "x.txt").meta["date"] for text in (older, newer)]  # type: ignore[union-attr]
    assert dates == ["2016-11-25", "2022-05-25"]
    assert (
        version_date([{"event": "通过", "date": "2010-01-05"}, {"event": "施行", "date": "2010-03-01"}]) == "2010-01-05"
    )
    assert version_date([{"event": "施行", "date": "2010-03-01"}]) == "2010-03-01"
    assert version_date([]) is None


def test_a_title_quoted_in_a_title_is_cited_with_inner_marks(tmp_path: Path) -> None:
    text = "广东省实施《中华人民共和国消防法》办法\n第一条 为了实施消防法，制定本办法。\n第二条 自公布之日起施行。"
    parsed = Pipeline().parse_bytes(tmp_path / "a.txt", text.encode("utf-8"), "a.txt")
    document = parsed.documents[0]
    assert document.title == "广东省实施《中华人民共和国消防法》办法"  # the title as written
    citations = [p.citation for p in document.passages]
    assert citations[0] == "《广东省实施〈中华人民共和国消防法〉办法》第一条"
    assert all(c.count("《") == 1 and c.count("》") == 1 for c in citations)


def test_a_second_list_is_cited_under_its_paragraph() -> None:
    # Two lists in one article: the second's （一） is 第九条第二款（一）, not the first's again.
    passages = split_text(
        "第九条 申请人应当具备下列条件：\n（一）年满十八周岁；\n（二）身体健康。\n"
        "有下列情形之一的，不予受理：\n（一）受过刑事处罚的；\n（二）被吊销证书的。\n第十条 附则。\n"
    )
    assert [p.locator for p in units(passages, "item")] == [
        "第九条（一）",
        "第九条（二）",
        "第九条第二款（一）",
        "第九条第二款（二）",
    ]


def test_a_regulation_s_own_doc_number_is_never_one_its_preamble_cites() -> None:
    own = "某某规定\n\n法释〔2025〕1号\n\n第一条 为了……，制定本规定。\n"
    assert policy_document_from_text(own, "own.txt").meta["doc_number"] == "法释〔2025〕1号"  # type: ignore[union-attr]
    bracketed = "某某解答\n\n（1993年8月7日 最高人民法院以法发〔1993〕15号通知印发）\n\n一、问：……\n"
    assert policy_document_from_text(bracketed, "b.txt").meta["doc_number"] == "法发〔1993〕15号"  # type: ignore[union-attr]
    cited = (
        "某某规定\n\n1999年12月1日 最高人民法院审判委员会第1090次会议通过\n\n"
        "1998年9月17日，我院以法〔1998〕86号通知印发了《关于……的意见》，现重新作如下规定：\n\n第一条 ……\n"
    )
    assert "doc_number" not in policy_document_from_text(cited, "c.txt").meta  # type: ignore[union-attr]


def test_a_text_without_header_dates_is_dated_by_its_file_name() -> None:
    # 30 of the archive's 33 texts without a dated header carry their date so.
    text = "保护海底电缆规定\n\n(一) 保护海底电缆是加强海防建设的重要措施。\n"
    dated = policy_document_from_text(text, "regulations/行政法规/保护海底电缆规定(1973-05-30).txt")
    assert dated is not None and dated.meta["date"] == "1973-05-30"
    undated = policy_document_from_text(text, "regulations/行政法规/保护海底电缆规定.txt")
    assert undated is not None and "date" not in undated.meta
    impossible = policy_document_from_text(text, "regulations/保护海底电缆规定(1973-02-30).txt")
    assert impossible is not None and "date" not in impossible.meta
    # The name's date (its promulgation) wins over the effective date its last article gives.
    effective = "某条例\n第一条 为了规范，制定本条例。\n第二条 本条例自2025年1月1日起施行。\n"
    named = policy_document_from_text(effective, "x/某条例(2024-09-24).txt")
    assert named is not None and named.meta["date"] == "2024-09-24"
    assert policy_document_from_text(effective, "x/某条例.txt").meta["date"] == "2025-01-01"  # type: ignore[union-attr]
    # The later of the header's and the name's: a header naming a later version than the
    # name, or a name dating a revision (or the promulgation) the header does not list.
    headed = "某条例\n（2001年1月2日某省人民代表大会常务委员会通过）\n第一条 为了规范，制定本条例。\n"
    assert policy_document_from_text(headed, "x/某条例(1999-09-09).txt").meta["date"] == "2001-01-02"  # type: ignore[union-attr]
    assert policy_document_from_text(headed, "x/某条例(2003-05-06).txt").meta["date"] == "2003-05-06"  # type: ignore[union-attr]


def test_a_part_of_a_code_filed_alone_is_titled_by_its_part() -> None:
    # The archive files 中华人民共和国民法典 as eight texts, each with its part under the
    # title: eight results had read 中华人民共和国民法典 alike.
    text = "中华人民共和国民法典\n\n合同编\n\n2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n"
    text += "第一分编 通则\n\n第一章 一般规定\n\n第四百六十三条 本编调整因合同产生的民事关系。\n"
    document = policy_document_from_text(text, "民法典/合同编.txt")
    assert document is not None and document.title == "中华人民共和国民法典（合同编）"
    assert document.key == "中华人民共和国民法典"  # the id stays the one it had
    law = policy_document_from_text("中华人民共和国兵役法\n\n2021年8月20日 通过\n\n第一条 为了…。\n", "兵役法.txt")
    assert law is not None and law.title == "中华人民共和国兵役法"
