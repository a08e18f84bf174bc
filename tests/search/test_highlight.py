"""Snippets that answer: the sentence holding the query's units, the amount or condition
asked about inside it, cuts never inside numbers, amounts or titles, escaped text plus
``<mark>`` only, and linear time on pathological passages."""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search_api.search.highlight import ELLIPSIS, MAX_WINDOW, WINDOW, highlight, snippet

_MARK = re.compile(r"</?mark>")

# Text before the 技能大师工作室 clause, long enough that the passage must be cut.
PREAMBLE = (
    "第十七条 市人力资源社会保障局会同市财政局对市级技能大师工作室的建设情况进行年度检查，"
    "检查结果作为绩效考核、动态调整和经费支持的重要依据。检查内容包括技能攻关、技艺传承、"
    "人才培养、成果推广和制度建设等方面，由工作室所在单位如实填报并提供相关证明材料。\n"
)
ARTICLE = (
    "第十八条 对经评审认定为市级技能大师工作室、且在技术攻关和技艺传承方面成效显著的单位，"
    "按照每个工作室30万元的标准给予一次性资助。"
)
CLOSING = "资助资金专款专用，主要用于工作室开展技能攻关、技艺传承和人才培养活动，不得挪作他用。"


def bare(snippet: str) -> str:
    """The snippet as the reader sees it: tags gone, entities decoded."""
    return html.unescape(_MARK.sub("", snippet))


def body(snippet: str) -> str:
    """The passage text shown, without the ellipses that mark a cut."""
    return bare(snippet).removeprefix(ELLIPSIS).removesuffix(ELLIPSIS)


def marked(snippet: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", snippet)]


def assert_trusted_form(snippet: str) -> None:
    """Escaped text plus our own <mark> tags, nothing else (what the page trusts)."""
    stripped = _MARK.sub("", snippet)
    assert "<" not in stripped and ">" not in stripped
    assert html.escape(html.unescape(stripped)) == stripped  # every character escaped once
    assert snippet.count("<mark>") == snippet.count("</mark>")
    assert "<mark></mark>" not in snippet and "<mark><mark>" not in snippet


# ------------------------------------------------------------------ the snippet answers


# The same clause with the amount further from the term than a fixed window's lead.
ARTICLE_AMOUNT_FIRST = (
    "第十八条 按照每个工作室30万元的标准，对经评审认定为市级技能大师工作室、且在技术攻关和"
    "技艺传承方面成效显著的单位给予一次性资助。"
)


@pytest.mark.parametrize("article", [ARTICLE, ARTICLE_AMOUNT_FIRST], ids=["amount-near", "amount-far"])
def test_snippet_holds_the_amount_of_the_matching_sentence(article: str) -> None:
    text = PREAMBLE + article + CLOSING + PREAMBLE
    snippet = highlight(text, ["一次性资助", "资助"])
    assert "30万元" in bare(snippet)
    assert "<mark>一次性资助</mark>" in snippet
    assert body(snippet) in text and len(body(snippet)) <= WINDOW
    assert bare(snippet).startswith(ELLIPSIS)  # the passage was cut before the article


def test_the_sentence_is_cut_on_sentence_punctuation() -> None:
    text = PREAMBLE + ARTICLE + CLOSING
    shown = body(highlight(text, ["一次性资助"]))
    assert shown.startswith("第十八条") and shown.endswith("一次性资助。")


def test_two_neighbouring_sentences_when_they_hold_more_units() -> None:
    text = PREAMBLE + "第十八条 市级技能大师工作室按年度考核。考核优秀的，给予一次性资助。" + CLOSING * 2
    shown = body(highlight(text, ["技能大师工作室", "一次性资助"]))
    assert "技能大师工作室" in shown and "一次性资助" in shown
    assert shown.startswith("第十八条") and shown.endswith("一次性资助。")


def test_the_amount_named_in_the_query_wins_over_more_marks() -> None:
    text = (
        "已经认定的市级工作室，经绩效考核后，等次为优秀的，可给予追加资助，资助资金专款专用、资助项目单独核算。"
        + CLOSING
        + "初次认定为市级工作室的，按照每个工作室20万元的标准给予资助。"
        + PREAMBLE
    )
    assert "20万元" not in body(highlight(text, ["资助"]))  # more marks elsewhere
    snippet = highlight(text, ["资助", "20", "万元"])
    assert "<mark>20万元</mark>" in snippet and "给予<mark>资助</mark>" in snippet


def test_a_condition_word_of_the_query_wins_over_more_marks() -> None:
    text = (
        "工作室应当开展技能攻关、技艺传承、技能推广和技能培训活动，每年技能培训不少于两期。"
        + PREAMBLE
        + "申报技能大师工作室的单位应当具备下列条件：领办人年龄不超过55周岁，具有高级技师职业资格。"
    )
    snippet = highlight(text, ["技能", "条件"])
    assert "<mark>条件</mark>" in snippet and "55周岁" in bare(snippet)


def test_a_figure_asked_for_wins_over_one_more_word() -> None:
    # 试用期最长可以约定多久: a sentence stating a term beats one with one more of the words.
    text = (
        PREAMBLE
        + "三年以上固定期限的劳动合同，试用期不得超过六个月。"
        + CLOSING
        + "劳动合同仅约定试用期的，试用期不成立，该期限为劳动合同期限。"
        + CLOSING
    )
    words = ["试用期", "约定"]
    assert "六个月" not in body(snippet(text, words).html)
    assert "六个月" in body(snippet(text, words, figure=True).html)
    # A head count in numerals is a figure too (委员会由几名委员组成).
    count = (
        PREAMBLE
        + "委员会由五名至七名委员组成。"
        + CLOSING
        + "委员会委员由本级人民政府任命，委员会委员可以连任。"
        + CLOSING
    )
    assert "七名" in body(snippet(count, ["委员会", "委员", "任命"], figure=True).html)


# An article whose query words are all in its lead-in, its answer in the items below.
LEAD_IN = "三、工作人员病假超过六个月的，从第七个月起按照下列标准发给病假期间工资：\n"
ITEMS = (
    "(一)工作年限不满十年的，发给本人工资的百分之七十；\n(二)工作年限满十年和十年以上的，发给本人工资的百分之八十；\n"
)


def test_a_lead_in_goes_on_with_its_items() -> None:
    text = LEAD_IN + ITEMS + CLOSING * 4
    shown = body(highlight(text, ["病假", "工作人员"]))
    assert shown.startswith("三、工作人员病假") and "百分之七十" in shown
    assert len(shown) <= MAX_WINDOW
    # The lead-in with its first item's heading (both hold the words): the item goes on.
    article = (
        "第四条 申报市级工作室应同时符合以下条件：\n"
        "（一）技能大师的条件。长期在生产服务一线岗位工作，具有技师及以上国家职业资格。\n"
    )
    assert "具有技师" in body(highlight(article + CLOSING * 4, ["申报", "条件"]))
    # Without a lead-in the snippet stays the sentence that holds the words.
    plain = LEAD_IN.replace("工资：", "工资。") + ITEMS + CLOSING * 4
    assert "百分之七十" not in body(highlight(plain, ["病假", "工作人员"]))


def test_a_long_sentence_is_cut_on_clauses_and_keeps_the_amount() -> None:
    items = "，".join(f"第{i}项工作按照有关规定组织实施并报市人力资源社会保障局备案" for i in range(1, 12))
    text = f"为加强高技能人才队伍建设，{items}，领办人年龄不超过45周岁的，按照每人30万元的标准给予一次性资助。"
    assert len(text) > 2 * WINDOW
    snippet = highlight(text, ["年龄", "一次性资助"])
    shown = body(snippet)
    assert "45周岁" in shown and "30万元" in shown and len(shown) <= WINDOW
    assert shown.endswith("一次性资助。") and bare(snippet).startswith(ELLIPSIS)
    before = text[: text.index(shown)]
    assert before.endswith("，")  # cut after clause punctuation


def test_no_cut_inside_a_title_spanning_a_comma() -> None:
    title = "《关于加强新时代高技能人才队伍建设，进一步做好技能大师工作室建设工作的实施意见》"
    filler = "，".join("各区各部门要结合实际认真组织实施" for _ in range(8))
    text = f"{filler}，根据{title}的规定，对认定为市级工作室的给予一次性资助，{filler}。"
    shown = body(highlight(text, ["实施意见", "一次性资助"]))
    assert shown.count("《") == shown.count("》")
    assert title in shown


@pytest.mark.parametrize("offset", range(0, 200, 7))
def test_character_cuts_never_split_a_number_or_a_title(offset: int) -> None:
    """A clause too long for the window is cut by characters, never inside a protected span."""
    tokens = ["《北京市技能大师工作室管理办法》", "1234567元", "2023年3月15日", "第四十七条", "45周岁", "12.5%"]
    parts: list[str] = ["的" * offset]
    protected: list[tuple[int, int]] = []
    pos = offset
    for i in range(30):
        token = tokens[i % len(tokens)]
        protected.append((pos, pos + len(token)))
        filler = "相" * (3 + i % 5) + ("资助" if i == 12 else "") + "关"
        parts += [token, filler]
        pos += len(token) + len(filler)
    text = "".join(parts)
    snippet = highlight(text, ["资助"])
    shown = body(snippet)
    start = text.index(shown)
    end = start + len(shown)
    for s, e in protected:
        assert not s < start < e and not s < end < e, (text[s:e], shown)
    assert "<mark>资助</mark>" in snippet
    assert len(shown) <= MAX_WINDOW


def test_number_terms_match_whole_numbers() -> None:
    snippet = highlight("资助300万元或30万元，2030年起", ["资助", "30"])
    assert marked(snippet) == ["资助", "30"]
    assert "<mark>30</mark>万元" in snippet


# ------------------------------------------------------------------ form and safety


@pytest.mark.parametrize("repeat", [1, 6])
def test_hostile_text_stays_escaped(repeat: int) -> None:
    text = ("条件 <script>alert('x')</script> & \"申报\" </mark><mark>x</mark> 条件<b>。" * repeat) + "&amp;"
    snippet = highlight(text, ["条件", "script", "mark"])
    assert_trusted_form(snippet)
    assert "&lt;<mark>script</mark>&gt;" in snippet
    assert "<script>" not in snippet and "&amp;" in snippet
    assert body(snippet) in text


def test_terms_with_markup_characters_are_escaped_inside_marks() -> None:
    snippet = highlight("a <b> & c 申报条件", ["<b>", "& c", "条件"])
    assert_trusted_form(snippet)
    assert "<mark>&lt;b&gt;</mark>" in snippet and "<mark>&amp; c</mark>" in snippet


def test_short_passages_are_shown_whole() -> None:
    text = "第三条 本办法自2023年5月1日起施行，有效期至2028年12月31日。"
    snippet = highlight(text, ["施行"])
    assert bare(snippet) == text
    assert snippet.count("<mark>") == 1
    assert bare(highlight(text, ["不存在的词"])) == text  # nothing found: still whole


def test_nothing_found_shows_the_opening() -> None:
    text = PREAMBLE + ARTICLE + CLOSING
    snippet = highlight(text, ["博士后"], ["博士", "士后"])
    assert "<mark>" not in snippet
    assert bare(snippet).startswith("第十七条") and bare(snippet).endswith(ELLIPSIS)


def test_single_characters_are_not_marked_when_longer_terms_exist() -> None:
    text = "法律法规规定的其他条件。" * 3
    assert marked(highlight(text, ["法", "条件"])) == ["条件"] * 3
    assert marked(highlight(text, ["法"])) == ["法", "法"] * 3


def test_fallback_terms_only_when_no_term_is_found() -> None:
    text = "申报技能大师工作室应当具备下列条件。"
    assert marked(highlight(text, ["技能大师工作室"], ["技能", "条件"])) == ["技能大师工作室"]
    assert marked(highlight(text, ["大师工作站"], ["大师", "条件"])) == ["大师", "条件"]


def test_a_fallback_bigram_inside_a_word_is_not_marked() -> None:
    # 民法 of 民法典 is not in 人民法院; 法院 ends that word and is marked.
    text = "协议不成的，由人民法院判决。本法所称民法，是指调整平等主体之间关系的法律。"
    assert marked(highlight(text, ["民法典"], ["民法", "法典"])) == ["民法"]
    assert marked(highlight(text, ["法院判决书"], ["法院", "院判", "判决", "决书"])) == ["法院判决"]


def test_overlapping_and_touching_terms_are_one_mark() -> None:
    snippet = highlight("技能大师工作室建设", ["技能大师", "大师工作室"])
    assert marked(snippet) == ["技能大师工作室"]
    assert marked(highlight("资助30万元", ["30", "万元"])) == ["30万元"]


def test_same_input_same_output() -> None:
    text = PREAMBLE * 3 + ARTICLE + CLOSING * 3
    first = highlight(text, ["一次性资助", "资助", "30"], ["资助"])
    highlight(text, ["检查"])  # another query in between changes nothing
    assert highlight(text, ["一次性资助", "资助", "30"], ["资助"]) == first
    assert highlight(text, ["30", "资助", "一次性资助"], ["资助"]) == first  # term order does not matter


# ------------------------------------------------------------------ pathological passages


def _finishes(text: str, terms: list[str], seconds: float = 5.0) -> str:
    """Run in a thread with a time limit: a quadratic highlighter would not return in time."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(highlight, text, terms).result(timeout=seconds)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("法" * 200_000, ["法"]),
        ("依法办理，" * 40_000, ["法"]),
        ("依法办理。" * 40_000, ["依法", "办理", "法"]),
        ("《法》30万元、" * 25_000, ["法", "30", "万元"]),
        ("一" * 200_000, ["一一", "一"]),
    ],
    ids=["one-character", "clauses", "sentences", "titles-amounts", "numerals"],
)
def test_long_dense_passages_finish(text: str, terms: list[str]) -> None:
    snippet = _finishes(text, terms)
    assert_trusted_form(snippet)
    assert "<mark>" in snippet
    assert len(body(snippet)) <= MAX_WINDOW


# ------------------------------------------------------------------ any passage

PIECES = ["资助", "条件", "30万元", "2023年3月", "第四条", "《人才办法》", "“双一流”", "，", "。", "；", "、", "\n",
          "<b>", "&", "的", "工作室", "45周岁", " "]  # fmt: skip
passages = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=120).map("".join)
term_lists = st.lists(st.sampled_from(["资助", "条件", "30", "万元", "工作室", "的", "<b>", "&", "人才"]), max_size=4)


@settings(max_examples=300, deadline=None)
@given(passages, term_lists)
def test_any_passage_gives_a_trusted_snippet_of_its_own_text(text: str, terms: list[str]) -> None:
    snippet = highlight(text, terms, ["工作"])
    assert_trusted_form(snippet)
    shown = body(snippet)
    assert shown in text
    assert len(shown) <= MAX_WINDOW
    assert highlight(text, terms, ["工作"]) == snippet
