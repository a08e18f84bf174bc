"""Query analysis, mechanism by mechanism: question words, 文号, articles, synonyms,
English, intents and the units the match rule counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.questions import load_intents
from knowledge.synonyms import MAX_PART_SYNONYMS
from knowledge.tables import DataFileError
from search_api.search.matching import found_in
from search_api.search.query import analyze_query, compound_parts, minimum_match

# --------------------------------------------------------------- question words


def test_question_words_are_stripped() -> None:
    aq = analyze_query("技能大师工作室领办人退休了怎么办")
    assert aq.required == ["技能大师工作室", "领办人", "退休"]
    assert not {"怎么办", "了"} & set(aq.words)


@pytest.mark.parametrize(
    ("query", "dropped"),
    [
        ("工作室资金能不能挪用", "能不能"),  # jieba cuts 能/不能: matched across tokens
        ("技能大师工作室一次性资助多少钱", "多少钱"),
        ("境外职业资格需要什么条件", "需要什么"),
        ("技能大师工作室有哪些政策", "有哪些"),
        ("六支人才队伍中增长最快的是哪支", "哪"),
        # 多少岁 had been reported as a word not found (未找到：最大、多少岁).
        ("外籍人员办工作许可年龄最大可以放宽到多少岁", "多少岁"),
        ("劳动合同签2年，试用期最长是不是2个月", "最长"),  # an aspect: 不得超过 says it
    ],
)
def test_question_phrases_never_count(query: str, dropped: str) -> None:
    aq = analyze_query(query)
    assert all(dropped not in word for word in aq.required), aq.required


@pytest.mark.parametrize(
    "query", ["劳动合同签2年，试用期最长是不是2个月", "试用期可以超过六个月吗", "技能大师工作室 领办人 有没有 年龄限制"]
)
def test_a_form_no_list_holds_still_makes_a_question(query: str) -> None:
    # 是不是, 有没有 and a final 吗 are cut out before the units: the query is still asked in
    # words, so its five units need one fewer (the clause says 二个月, not 2年 or 最长).
    aq = analyze_query(query)
    assert aq.question
    assert not analyze_query("劳动合同 试用期 最长 2年 2个月").question


def test_a_particle_is_no_sign_of_a_question() -> None:
    # 的 is dropped like a question word, but keywords hold it too: they need the keywords'
    # share of their units (5 of 7, not a question's 4), and the page is not filled with
    # passages holding fewer.
    keywords = analyze_query("持有境外职业资格的外籍人员办理工作许可年龄限制")
    assert not keywords.question and "的" not in keywords.required
    assert keywords.min_match == minimum_match(len(keywords.required)) > minimum_match(7, question=True)
    assert analyze_query("北京的人才公寓怎么申请").question


@pytest.mark.parametrize(
    ("query", "asking"),
    [
        ("国家最高科学技术奖奖金多少由谁来定", "由谁来"),  # one jieba word: no list holds them all
        ("北京的自贸区是哪年哪月成立的", "哪年哪月"),
        ("提前退休是啥意思", "啥意思"),
        ("想问问哪几个专业招的人最多", "哪几个"),
    ],
)
def test_a_word_built_on_an_interrogative_is_a_question_word(query: str, asking: str) -> None:
    # It was a unit the answer must hold, and the page said 「未找到：由谁来」.
    aq = analyze_query(query)
    assert asking not in aq.required and aq.question


def test_a_benefit_is_named_only_as_typed() -> None:
    # 上海 落户 博士 补贴 had been told 未找到：博士补贴, a phrase the user never typed.
    assert analyze_query("上海落户博士补贴").named == {"博士补贴": ["博士", "补贴"]}
    spaced = analyze_query("上海 落户 博士 补贴")
    assert spaced.named == {} and spaced.required == ["上海", "落户", "博士", "补贴"]


def test_aspect_words_add_score_but_are_not_required() -> None:
    aq = analyze_query("HICOOL全球创业者峰会 举办地点")
    assert aq.weak == ["地点"]
    assert "地点" in aq.words and "地点" not in aq.required


def test_an_amount_question_does_not_require_its_period() -> None:
    # 每年给多少钱: the answer may state the sum once (给予一次性资助30万元); 每年 had been
    # required, and only clauses saying 每年 about something else were found.
    aq = analyze_query("技能大师工作室每年给多少钱")
    assert aq.required == ["技能大师工作室"] and aq.weak == ["每年"]
    # Elsewhere the period is the topic of the question, and stays required.
    assert "每年" in analyze_query("每年能休几天育儿假").required


def test_a_query_of_question_words_only_keeps_them() -> None:
    assert analyze_query("怎么办").required == ["怎么办"]


def test_single_characters_score_but_do_not_decide() -> None:
    aq = analyze_query("人才 钱")
    assert aq.required == ["人才"] and "钱" in aq.words


def test_unknown_words_left_as_single_characters_become_one_unit() -> None:
    # HMM off: jieba leaves 经开区 and 高被引 as single characters.
    assert "经开区" in analyze_query("留学回国人员 经开区 创新创业").required
    assert analyze_query("高被引科学家数量").required[0] == "高被引"
    # An adverb or a demonstrative ends such a run (烟/也/算, 刷/这张/卡): no unit 烟也算.
    assert "烟也算" not in analyze_query("抽电子烟也算吸烟吗").required
    assert not any("这" in unit for unit in analyze_query("能不能刷这张卡").required)
    # A question word spelt by single characters ends it too (人/占/多/大: no unit 人占多大).
    assert not any("多大" in unit for unit in analyze_query("干了十五年以上的人占多大比例").required)


def test_an_age_in_years_also_reads_as_the_law_writes_it() -> None:
    aq = analyze_query("十六岁办的身份证有效期")
    assert {"16岁", "十六周岁", "16周岁"} <= set(aq.alternatives["十六岁"])


def test_match_rule_all_of_few_words_two_in_three_of_many() -> None:
    assert [minimum_match(n) for n in range(1, 8)] == [1, 2, 2, 3, 4, 4, 5]
    aq = analyze_query("市人社局 技能大师工作室 绩效考核")
    assert aq.min_match == minimum_match(len(aq.required)) == 2
    assert aq.relaxed().min_match == 1
    five = analyze_query("全球城市人才黏性指数")
    assert [five.min_match, five.relaxed().min_match, five.relaxed().relaxed().min_match] == [4, 3, 2]


def test_nothing_to_search() -> None:
    assert analyze_query("").empty
    assert analyze_query("？？ ，").empty


# --------------------------------------------------------------- 文号 and articles


@pytest.mark.parametrize(
    ("query", "normal"),
    [
        ("京政办发2023 20号", "京政办发〔2023〕20号"),
        ("京人社能发[2023]3号", "京人社能发〔2023〕3号"),
        ("京人社能发（2023）3号", "京人社能发〔2023〕3号"),
        ("京人社能发 【2023】 3 号", "京人社能发〔2023〕3号"),
        ("京人社专技字2023第91号", "京人社专技字〔2023〕91号"),
    ],
)
def test_doc_number_in_any_bracket_or_spacing_style(query: str, normal: str) -> None:
    aq = analyze_query(query)
    assert aq.doc_numbers == [normal]
    assert aq.required == []  # its characters are not words of the query


def test_doc_number_with_words_keeps_the_words() -> None:
    aq = analyze_query("京人社能发〔2023〕3号 绩效考核")
    assert aq.doc_numbers == ["京人社能发〔2023〕3号"] and aq.required == ["绩效考核"]


@pytest.mark.parametrize("query", ["劳动合同法第四十七条", "劳动合同法 第47条", "劳动合同法第 47 条"])
def test_article_reference_in_the_documents_numbering(query: str) -> None:
    aq = analyze_query(query)
    assert aq.articles == ["第四十七条"]
    assert "第四十七条" in aq.required
    if "47" in query:
        assert aq.alternatives["第四十七条"] == ["第47条"]
    assert not any(sub.startswith("四十") for sub in aq.subwords)  # a number has no topical parts


# --------------------------------------------------------------- synonyms


def test_agency_abbreviation_searches_the_full_name_and_back() -> None:
    short = analyze_query("市人社局 技能大师工作室 绩效考核").alternatives["市人社局"]
    assert {"北京市人力资源和社会保障局", "市人力资源社会保障局"} <= set(short)
    full = analyze_query("北京市人力资源和社会保障局").alternatives["北京市人力资源和社会保障局"]
    assert {"市人社局", "人社局"} <= set(full)
    assert "北京市人才工作局" in analyze_query("人才局").alternatives["人才局"]


def test_everyday_synonyms() -> None:
    assert "永久居留身份证" in analyze_query("外国人申请绿卡条件").alternatives["绿卡"]
    assert "外国人" in analyze_query("外籍 工作许可").alternatives["外籍"]
    assert "绿卡" in analyze_query("永久居留身份证 便利化").alternatives["永久居留身份证"]


def test_a_compound_is_also_spelled_with_its_parts_synonyms() -> None:
    assert "高等学校教师" in analyze_query("高校教师").alternatives["高校教师"]
    graduates = analyze_query("高校毕业生").alternatives["高校毕业生"]
    assert "应届毕业生" in graduates and "高等学校毕业生" in graduates  # its own synonyms kept
    assert len([s for s in graduates if s.endswith("毕业生") and s.startswith("高等")]) <= MAX_PART_SYNONYMS
    assert "住处补贴" not in analyze_query("住房补贴").alternatives.get("住房补贴", [])  # only a short form written out
    assert "民营用人单位" not in analyze_query("民营企业").alternatives.get("民营企业", [])  # 用人单位 ⊄ 企业


def test_an_entry_spanning_several_words_is_one_unit() -> None:
    aq = analyze_query("延长工作时间 工资")  # jieba: 延长/工作/时间
    assert "延长工作时间" in aq.required and "延长工作时间" in aq.multiword
    assert "加班" in aq.alternatives["延长工作时间"]
    assert aq.parts["延长工作时间"] == ["延长", "工作", "时间"]


def test_entries_match_whole_words_only() -> None:
    # 外国人 is an entry, but 外国人才 is another word, not 外国人 + 才.
    assert "外国人" not in analyze_query("外国人才 政策").alternatives


# --------------------------------------------------------------- compounds, proximity


def test_compound_parts() -> None:
    assert compound_parts("技能大师工作室") == ["技能", "大师", "工作室"]
    assert compound_parts("人才") == []
    aq = analyze_query("技能大师工作室申报条件")
    assert aq.parts == {"技能大师工作室": ["技能", "大师", "工作室"]}


def test_neighbouring_units_make_proximity_pairs() -> None:
    aq = analyze_query("技能大师工作室领办人退休了怎么办")
    assert aq.pairs == [("技能大师工作室", "领办人"), ("领办人", "退休")]


# --------------------------------------------------------------- English, intents


def test_english_query_is_stemmed_and_stop_words_dropped() -> None:
    aq = analyze_query("ranking of talent retention index")
    assert aq.is_english
    assert aq.required == ["ranking", "talent", "retention", "index"]
    assert aq.english["ranking"] == "rank" and aq.english["retention"] == "retent"


def test_latin_words_in_a_chinese_query_are_kept() -> None:
    aq = analyze_query("外国高端人才（A类）")
    assert not aq.is_english and "a" in aq.words


@pytest.mark.parametrize(
    ("query", "intent"),
    [
        ("技能大师工作室申报条件", "eligibility"),
        ("技能大师工作室申报条件", "conditions"),
        ("2023中关村论坛开幕", "event"),
        ("商业秘密的定义", "definition"),
        ("护士条例施行日期", "effective_date"),
        ("工伤认定申请时限", "time_limit"),
        ("一次性资助多少钱", "amount"),
        ("申报需要提交哪些材料", "materials"),
        ("晚上几点以后不能放烟花", "clock"),
    ],
)
def test_intents(query: str, intent: str) -> None:
    assert intent in analyze_query(query).intents


def test_a_definition_question_asks_about_its_own_term() -> None:
    # The clause that defines 出版 (本法所称的出版，指…), not any clause holding 是指.
    aq = analyze_query("著作权法所称的出版是指什么")
    assert "definition" in aq.intents and {"所称的出版", "出版是指", "出版指"} <= set(aq.term_phrases)
    assert not any(p.startswith("所称是") or p == "所称指" for p in aq.term_phrases)  # 所称 is the intent's word
    assert analyze_query("人才公寓 国际学校").term_phrases == []


def test_topic_queries_have_no_intent() -> None:
    aq = analyze_query("人才公寓 国际学校")
    assert aq.intents == [] and not aq.eligibility_intent and not aq.answer_phrases


def test_malformed_intent_table_names_file_and_problem(tmp_path: Path) -> None:
    path = tmp_path / "query_intents.json"
    path.write_text('{"intents": {"event": {"cues": ["开幕"], "boost": 3}}}', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"query_intents\.json: intent 'event': unknown keys \['boost'\]"):
        load_intents(path)
    path.write_text('{"intents": {"event": {"cues": "开幕"}}}', encoding="utf-8")
    with pytest.raises(DataFileError, match="lists of strings"):
        load_intents(path)
    path.write_text('{"intents": {"definition": {"cues": ["定义"], "term_phrases": ["是指"]}}}', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"'term_phrases' must hold \{term\} once"):
        load_intents(path)
    path.write_text('{"intents": {"age": {"cues": ["岁"], "cue_patterns": ["今年({number}"]}}}', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"intent 'age': cue pattern .* is not a valid regex"):
        load_intents(path)
    path.write_text('{"intents": {"age": {"cues": ["岁"], "cue_patterns": ["(今年)?"]}}}', encoding="utf-8")
    with pytest.raises(DataFileError, match="matches the empty string"):
        load_intents(path)
    path.write_text('{"intents": {"amount": {"cues": ["多少钱"], "figure": "yes"}}}', encoding="utf-8")
    with pytest.raises(DataFileError, match="intent 'amount': 'eligible', 'fallback' and 'figure' must be true"):
        load_intents(path)
    assert {i.name for i in load_intents()} >= {"eligibility", "event", "definition"}


def test_a_question_for_a_figure_is_told_apart() -> None:
    assert analyze_query("试用期最长可以约定多久").asks_figure
    assert analyze_query("技能大师工作室给多少钱").asks_figure
    assert not analyze_query("技能大师工作室申报条件").asks_figure


@pytest.mark.parametrize(
    ("query", "age"),
    [
        ("我今年五十六了，还能去献血吗", True),
        ("我儿子今年十六，能去吗", True),
        ("今年35岁", True),
        ("今年3月出台的政策", False),
    ],
)
def test_an_age_is_read_from_a_number_after_this_year(query: str, age: bool) -> None:
    """今年五十六了 states an age without 岁 (a cue pattern); 今年3月 is a date."""
    assert ("age" in analyze_query(query).intents) is age


def test_a_compound_is_found_in_its_parts_only_when_they_stand_close() -> None:
    aq = analyze_query("技能大师工作室")
    unit = aq.required[0]
    assert aq.parts[unit] == ["技能", "大师", "工作室"]
    assert found_in(unit, aq, ["设立技能大师（工作室）的单位"])
    assert not found_in(unit, aq, ["技能大师应在职在聘。申报单位应提供场地，保障工作室运行。"])


def test_a_time_of_day_also_reads_on_the_24_hour_clock() -> None:
    aq = analyze_query("邻居中午12点到下午2点还在装修")
    assert {"十二时", "12时"} <= set(aq.alternatives["中午12点"])
    assert {"十四时", "14时"} <= set(aq.alternatives["下午2点"])
    assert "一点" not in " ".join(analyze_query("能便宜一点吗").alternatives)  # "a little", no time
