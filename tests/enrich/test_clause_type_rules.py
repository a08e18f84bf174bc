"""Clause types (ingest/enrich/clause_types.py) on hand-made clauses: items and their lead-in,
headings, lists that grant, refuse or define, the matters one may apply under, and the
learned model's sum of weights. The hand labels are measured in test_clause_types.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ingest.enrich.clause_model import ClauseModel, ClauseView
from ingest.enrich.clause_types import ClauseTyper
from ingest.model import Document, Passage

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))


@pytest.fixture(scope="module")
def typer() -> ClauseTyper:
    return ClauseTyper.from_data()


def _clause(text: str, path: list[str], unit: str, **attrs: object) -> Passage:
    return Passage("policy", text, path, locator="".join(path[1:]), attrs={"unit": unit, **attrs})


def _typed(typer: ClauseTyper, passages: list[Passage]) -> list[str | None]:
    typer.type_document(Document("policy", "某某办法", "k", "s", passages))
    return [p.clause_type for p in passages]


def test_items_take_the_consequence_of_their_lead_in(typer: ClauseTyper) -> None:
    chapter = "第三章 管理"
    passages = [
        _clause(
            "第十条 有下列情形之一的，不予注册：\n（一）被吊销执业证书不满二年的；", [chapter, "第十条"], "article"
        ),
        _clause("（一）被吊销执业证书不满二年的；", [chapter, "第十条", "（一）"], "item"),
        _clause(
            "第十一条 有下列情形之一的，吊销其执业证书：\n（一）以欺骗手段取得注册的；",
            [chapter, "第十一条"],
            "article",
        ),
        _clause("（一）以欺骗手段取得注册的；", [chapter, "第十一条", "（一）"], "item"),
    ]
    assert _typed(typer, passages) == ["condition", "condition", "obligation", "obligation"]


def test_headings_vote(typer: ClauseTyper) -> None:
    passages = [
        _clause("第五条 本办法自2024年1月1日起施行。", ["第六章 附则", "第五条"], "article"),
        _clause("第六条 领办人应当按时报送年度总结。", ["第四章 法律责任", "第六条"], "article"),
        _clause("第七条 市人力资源社会保障局统一组织评审。", ["第三章 申报程序", "第七条"], "article"),
    ]
    assert _typed(typer, passages) == ["general", "obligation", "procedure"]


def test_numbered_items_inherit_only_from_a_colon_lead_in(typer: ClauseTyper) -> None:
    passages = [
        _clause("一 提供便利服务\n持有证书的人员享受以下便利化服务：", ["一、提供便利服务"], "section"),
        _clause("1. 办理工作居住证。", ["一、提供便利服务", "1."], "numbered"),
        _clause("二 总体要求\n坚持首都城市战略定位。", ["二、总体要求"], "section"),
        _clause("1. 统筹规划全市布局。", ["二、总体要求", "1."], "numbered"),
    ]
    types = _typed(typer, passages)
    assert types[:2] == ["benefit", "benefit"]
    assert types[3] == "general"


def test_lists_that_grant_or_stop_a_benefit(typer: ClauseTyper) -> None:
    chapter = "第三章 失业保险待遇"
    passages = [
        _clause(
            "第十四条 具备下列条件的失业人员，可以领取失业保险金：\n（一）已办理失业登记的；",
            [chapter, "第十四条"],
            "article",
        ),
        _clause("（一）已办理失业登记的；", [chapter, "第十四条", "（一）"], "item"),
        _clause(
            "第十五条 失业人员有下列情形之一的，停止领取失业保险金，"
            "并同时停止享受其他失业保险待遇：\n（一）重新就业的；",
            [chapter, "第十五条"],
            "article",
        ),
        _clause("（一）重新就业的；", [chapter, "第十五条", "（一）"], "item"),
        _clause("第十七条 失业保险金的标准，由省人民政府确定。", [chapter, "第十七条"], "article"),
    ]
    assert _typed(typer, passages) == ["condition", "condition", "obligation", "obligation", "benefit"]


def test_a_heading_only_section_votes_its_own_heading(typer: ClauseTyper) -> None:
    passages = [
        _clause("十一、离休、退休问题", ["十一、离休、退休问题"], "section"),
        _clause("十三、本规定适用于国家机关、事业单位。", ["十三、"], "section"),
    ]
    assert _typed(typer, passages) == ["condition", "general"]


def test_parts_of_a_long_clause_keep_its_type(typer: ClauseTyper) -> None:
    path = ["第五章 政策支持", "第二十条"]
    passages = [
        _clause("第二十条 初次认定的，给予一次性资助30万元。", path, "article", part=1),
        _clause("其余部分的文字。", path, "article", part=2),
    ]
    assert _typed(typer, passages) == ["benefit", "benefit"]


def test_other_kinds_get_no_clause_type(typer: ClauseTyper) -> None:
    prose = Passage("chapter", "符合条件的人才可享受住房补贴。", ["一 概况"])
    typer.type_document(Document("report_chapter", "B.1", "B.1", "s", [prose]))
    assert prose.clause_type is None


def test_recognition_lists_refusals_and_channels(typer: ClauseTyper) -> None:
    chapter = "第二章 奖励条件"
    passages = [
        # Who is recognised (and so receives what follows): a condition, however many
        # benefit words the chapter holds.
        _clause(
            "第八条 有下列情形之一的，应当确认为见义勇为：\n（一）制止违法犯罪的；", [chapter, "第八条"], "article"
        ),
        _clause("（一）制止违法的；", [chapter, "第八条", "（一）"], "item"),
        _clause("第九条 有下列情形之一的，不予奖励：\n（一）无法验证举报人身份的；", [chapter, "第九条"], "article"),
        _clause(
            "第十六条 对符合下列条件之一的遗属，另发给定期抚恤金：\n（一）无生活费来源的；",
            [chapter, "第十六条"],
            "article",
        ),
        _clause("第四条 公民可以通过下列方式举报：\n（一）拨打举报电话；", ["第一章 总则", "第四条"], "article"),
        _clause("第三十条 对残疾军人发给护理费，护理费的标准为：", ["第三章 残疾抚恤", "第三十条"], "article"),
    ]
    types = _typed(typer, passages)
    assert types == ["condition", "condition", "condition", "condition", "procedure", "benefit"]


def test_refusals_of_a_post_or_of_aid_and_persons_defined_by_criteria(typer: ClauseTyper) -> None:
    passages = [
        _clause("第十二条 应聘人员有下列情形之一的，不得招聘为辅警：", ["第二章 招聘", "第十二条"], "article"),
        _clause(
            "第二十三条 对符合本条例规定的申请事项，法律援助机构应当受理。\n有下列情形之一的，不予法律援助：",
            ["第四章 法律援助的程序", "第二十三条"],
            "article",
        ),
        _clause("第二条 残疾人是指在心理、生理上，某种功能丧失或者不正常的人。", ["第一章 总则", "第二条"], "article"),
    ]
    assert _typed(typer, passages) == ["condition", "condition", "condition"]


def test_a_list_of_persons_defined_and_a_list_one_applies_under(typer: ClauseTyper) -> None:
    """A definition of whom a programme serves that opens a list (具体范围包括：) states
    who qualifies, like its items; so does a list one applies under (根据本人申请，可以…)."""
    passages = [
        _clause(
            "第二条 本规定适用于对本市就业困难人员的就业援助。\n本规定所称就业困难人员，是指在法定劳动年龄内，"
            "有劳动能力和就业愿望，处于无业状态并难以实现就业的本市城乡劳动者，具体范围包括：",
            ["第二条"],
            "article",
        ),
        _clause(
            "第十二条 退役士兵有下列情形之一的，根据本人申请，可以由省级以上人民政府安排工作：",
            ["第二章 移交和接收", "第十二条"],
            "article",
        ),
    ]
    assert _typed(typer, passages) == ["condition", "condition"]


def test_the_matters_one_may_apply_under(typer: ClauseTyper) -> None:
    """The matters that open a right to apply (公民对下列需要代理的事项，…的，可以向法律援助
    机构申请) say who qualifies, not how to apply."""
    lead = "第九条 公民对下列需要代理的事项，因经济困难没有委托代理人的，可以向法律援助机构申请法律援助："
    passages = [_clause(lead, ["第二章 法律援助范围", "第九条"], "article")]
    assert _typed(typer, passages) == ["condition"]


def test_a_chapter_on_whom_a_programme_covers_and_the_forms_of_aid(typer: ClauseTyper) -> None:
    """A chapter on who is covered (…范围、对象…) makes its clauses conditions; the forms
    aid takes (采取以下形式) are what one gets, whatever the chapter."""
    chapter = "第三章 法律援助的范围、对象、形式"
    passages = [
        _clause("第十一条 法律援助的范围包括：", [chapter, "第十一条"], "article"),
        _clause("第十五条 法律援助主要采取以下形式：", [chapter, "第十五条"], "article"),
    ]
    assert _typed(typer, passages) == ["condition", "benefit"]


def test_model_weighs_the_features_a_clause_has() -> None:
    """A hand-made model: a bigram of the lead outweighs the cues' own decision."""
    view = ClauseView("第四条 申报人应当具备下列条件", (), "general", {}, {}, (), False, None)
    types = ("condition", "benefit", "procedure", "obligation", "general")
    model = ClauseModel(types, {"cue=general": (0, 0, 0, 0, 1.0), "t2:申报": (2.0, 0, 0, 0, 0)})
    assert model.decide(view) == "condition"
    assert ClauseModel(types, {"cue=general": (0, 0, 0, 0, 1.0)}).decide(view) == "general"


def test_a_criminal_penalty_binds_it_grants_nothing(typer: ClauseTyper) -> None:
    # An offence and its sentence is no 申报条件 and no 待遇 (刑法 had 故意杀人 as a benefit).
    chapter = "第四章 侵犯公民人身权利、民主权利罪"
    passages = [
        _clause(
            "第二百三十二条 故意杀人的，处死刑、无期徒刑或者十年以上有期徒刑；情节较轻的，处三年以上十年以下有期徒刑。",
            [chapter, "第二百三十二条"],
            "article",
        ),
        _clause(
            "第一条 个人非法储存枪支，具有下列情形之一的，依照刑法第一百二十五条的规定定罪处罚："
            "\n（一）储存军用枪支1支以上的；",
            ["第一条"],
            "article",
        ),
        _clause("（一）储存军用枪支1支以上的；", ["第一条", "（一）"], "item"),
    ]
    assert _typed(typer, passages) == ["obligation", "obligation", "obligation"]


def test_the_items_of_a_definition_are_of_its_type(typer: ClauseTyper) -> None:
    # 国际收支统计申报办法 第三条: the model had read (二) and (三), which name people and
    # bodies abroad, as benefits; they only say who a 中国居民 is.
    items = [
        "(一)在中国境内居留1年以上的自然人，外国及香港、澳门、台湾地区在境内的留学生、就医人员、外国驻华使馆领馆外籍工作人员及其家属除外；",
        "(二)中国短期出国人员(在境外居留时间不满1年)、在境外留学人员、就医人员及中国驻外使馆领馆工作人员及其家属；",
        "(三)在中国境内依法成立的企业事业法人(含外商投资企业及外资金融机构)及境外法人的驻华机构(不含国际组织驻华机构、外国驻华使馆领馆)；",
        "(四)中国国家机关(含中国驻外使馆领馆)、团体、部队。",
    ]
    lead = "\n".join(["第三条 本办法所称中国居民，是指：", *items])
    passages = [_clause(lead, ["第三条"], "article")]
    passages += [_clause(text, ["第三条", f"（{text[1]}）"], "item") for text in items]
    assert _typed(typer, passages) == ["general"] * 5
