"""申报自查 through its three front ends: ``/api/eligibility``, ``policykb check`` and the
``/check`` page, on the shared book index (tests/api/index.py). The verdicts themselves
are tested in test_verdicts.py and, per engine, in tests/contract/eligibility.py."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from search_api import cli
from search_api.http.page.check import group_label, page_url
from search_api.http.profile_params import ProfileParams

PROFILE = {
    "skill_level": "技师",
    "age": "52",
    "years_to_retirement": "8",
    "residence": "在京工作",
    "q": "技能大师工作室",
}


def test_api_body_has_policies_with_judged_clauses(client: Any) -> None:
    body = client.get("/api/eligibility", params=PROFILE).json()
    assert body["profile"]["skill_level"] == "技师" and body["profile"]["age"] == 52
    policy = body["policies"][0]
    assert policy["title"] == "北京市技能大师工作室建设管理办法"
    assert policy["eligible"] in (True, False, None)
    verdicts = {c["verdict"] for cl in policy["clauses"] for c in cl["conditions"]}
    assert verdicts <= {"met", "not_met", "unknown"} and "met" in verdicts
    clause = policy["clauses"][0]
    assert {"id", "citation", "locator", "conditions"} <= set(clause)
    assert {"field", "requirement", "verdict", "reason", "span"} <= set(clause["conditions"][0])
    assert "以原文为准" in body["notice"]


def test_api_refuses_a_bad_profile_with_one_json_error(client: Any) -> None:
    response = client.get("/api/eligibility", params={"age": "两百"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request" and "age" in response.json()["message"]


def test_cli_json_is_the_api_body(client: Any, index_path: Path) -> None:
    args = ["check", PROFILE["q"], "--skill-level", "技师", "--age", "52", "--years-to-retirement", "8"]
    args += ["--residence", "在京工作", "--json", "--db", str(index_path)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(args) == 0
    assert json.loads(out.getvalue()) == client.get("/api/eligibility", params=PROFILE).json()


def test_passage_api_carries_the_extracted_conditions(client: Any) -> None:
    body = client.get("/api/eligibility", params=PROFILE).json()
    clause = body["policies"][0]["clauses"][0]
    passage = client.get(f"/api/passages/{clause['id']}").json()
    stored = passage["passage"]["conditions"]
    assert [c["field"] for c in stored] == [c["field"] for c in clause["conditions"]]


def test_check_page_ticks_each_condition_and_keeps_the_form(client: Any) -> None:
    page = client.get("/check", params={**PROFILE, "age": "70", "years_to_retirement": "1"})
    assert page.status_code == 200
    html = page.text
    assert "申报自查" in html and "以原文为准" in html
    assert "✗" in html and "要求" in html and "✓" in html
    assert 'value="70"' in html and '<option value="技师" selected>' in html
    assert "北京市技能大师工作室建设管理办法" in html


def test_check_page_offers_kinds_of_enterprise_and_keeps_a_typed_unit(client: Any) -> None:
    # The select offered 企业 alone; a unit given in the URL (北京大学) was lost on resubmit.
    kind = client.get("/check", params={**PROFILE, "unit_type": "民营企业"}).text
    assert '<option value="民营企业" selected>' in kind and '<option value="国有企业">' in kind
    named = client.get("/check", params={**PROFILE, "unit_type": "北京大学"}).text
    assert '<option value="北京大学" selected>' in named
    # So does a rung spelled as the question's link gives it (高级工程师, not the level).
    titled = client.get("/check", params={**PROFILE, "professional_title": "高级工程师"}).text
    assert '<option value="高级工程师" selected>' in titled


def test_a_submitted_check_lands_on_its_results(client: Any) -> None:
    # On a phone the first result was ~1,800 px below the form and the page did not move.
    html = client.get("/check", params={**PROFILE, "size": "1"}).text
    assert 'action="/check#results"' in html and '<div id="results">' in html
    assert page_url("技能大师", ProfileParams(age="52"), 2).endswith("&page=2#results")  # the pager too


def test_check_page_says_in_chinese_what_to_change(client: Any) -> None:
    page = client.get("/check", params={"age": "abc"})
    assert page.status_code == 422
    assert "年龄：应为整数" in page.text and 'name="age"' in page.text
    below = client.get("/check", params={"age": "-1"})  # a whole number, out of range: not 「应为整数」
    assert below.status_code == 422 and "年龄：应在0到120之间" in below.text


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"page": "0"}, "页码应为 1 到 100 之间的整数"),
        ({"page": "abc"}, "页码应为"),
        ({"origin": ["外籍"] * 21}, "身份：最多20项"),
        ({"facts": ["人" * 61]}, "最多20项，每项最多60字"),
    ],
)
def test_a_bad_value_keeps_the_applicants_entries(client: Any, extra: dict[str, Any], says: str) -> None:
    # These were FastAPI's bounds: the search page's error page answered, its form empty.
    page = client.get("/check", params={"q": "技能大师", "education": "博士", "age": "35", **extra})
    assert page.status_code == 422 and says in page.text and "开始自查" in page.text
    assert '<option value="博士" selected>' in page.text and 'value="35"' in page.text
    assert 'value="技能大师"' in page.text


def test_a_value_given_twice_is_refused_not_read_as_the_last(client: Any) -> None:
    # age=30&age=52 had judged the applicant as 52 without a word; the API refused it.
    page = client.get("/check?education=博士&age=30&age=52")
    assert page.status_code == 422 and "年龄：只能填写一个值，收到“30”、“52”。" in page.text
    assert "开始自查" in page.text and '<option value="博士" selected>' in page.text
    again = client.get("/check?education=博士&age=30&age=30")  # the same value twice says one thing
    assert again.status_code == 200
    assert client.get("/check?certificates=电工证&certificates=焊工证").status_code == 200  # a list field


def test_a_long_query_is_cut_with_a_notice_and_a_page_past_the_end_says_so(client: Any) -> None:
    long = client.get("/check", params={"q": "技能大师工作室" * 40, "education": "博士"})
    assert long.status_code == 200 and "检索词最多200字，已截取前200字" in long.text
    past = client.get("/check", params={"q": "技能大师工作室", "page": "50"})
    assert past.status_code == 200 and "第 50 页没有结果" in past.text and "回到第 1 页" in past.text
    # Free text named by no policy: every policy with conditions, and the page says why.
    unnamed = client.get("/check", params={"certificates": "火星驾照"})
    assert unnamed.status_code == 200 and "未在任何政策的条件中出现" in unnamed.text
    assert "没有找到提到您所填情况" not in unnamed.text and "技能大师工作室建设管理办法</a></h2>" in unnamed.text
    nothing = client.get("/check", params={"certificates": "火星驾照", "q": "火星移民"})
    assert nothing.status_code == 200 and "没有找到提到您所填情况" in nothing.text


def test_an_empty_check_says_what_to_give(client: Any) -> None:
    # It had answered 40 policies chosen by nothing; the page says the same (below).
    response = client.get("/api/eligibility")
    assert response.status_code == 422 and "请至少填写一项个人情况" in response.json()["message"]
    assert client.get("/api/eligibility", params={"q": "技能大师工作室"}).status_code == 200
    # 无 (no awards, no certificates) is no fact to choose policies by either.
    none = client.get("/api/eligibility", params={"awards": "无", "certificates": "无"})
    assert none.status_code == 422 and "请至少填写一项个人情况" in none.json()["message"]


def test_empty_check_page_is_only_the_form(client: Any) -> None:
    page = client.get("/check")
    assert page.status_code == 200 and "开始自查" in page.text and "自查结果" not in page.text
    assert "请至少填写一项" not in page.text
    # The form sent with nothing filled in says what to fill rather than showing nothing.
    sent = client.get("/check", params={"q": "", "education": "", "age": ""})
    assert sent.status_code == 200 and "请至少填写一项个人情况" in sent.text and "自查结果" not in sent.text
    # 证书：无 alone had shown the API's message, developer English included.
    none = client.get("/check", params={"certificates": "无"})
    assert (
        none.status_code == 200 and "请至少填写一项个人情况，或输入" in none.text and "give a profile" not in none.text
    )
    # The inputs stop where the check does (years_experience had allowed 120, refused above 80).
    assert 'name="years_experience" min="0" max="80"' in page.text
    assert 'name="years_to_retirement" min="0" max="60"' in page.text


def test_passage_page_shows_its_conditions_linked_to_their_words(client: Any) -> None:
    body = client.get("/api/eligibility", params=PROFILE).json()
    clause = body["policies"][0]["clauses"][0]
    html = client.get(f"/passages/{clause['id']}").text
    assert "本条申报条件" in html and "以原文为准" in html
    assert 'href="#span-1"' in html and 'id="span-1"' in html
    # The clause's text once, its conditions marked in the reading view (it had been printed
    # under the table and again as 本条 below).
    passage = client.get(f"/api/passages/{clause['id']}").json()["passage"]
    words = passage["text"][-12:]
    assert re.sub(r"<[^>]+>", "", html).count(words) == 1, words
    assert html.index('id="span-1"') > html.index('id="current-label"')
    # The way to 申报自查 carries the policy: a bare /check had asked the applicant to find it again.
    title = body["policies"][0]["title"]
    assert f'<a href="/check?q={quote(title)}">申报自查：对照您的情况</a>' in html
    named = client.get("/api/eligibility", params={"q": title}).json()["policies"]
    assert named and named[0]["title"] == title  # the policy the query names by its title comes first


def test_an_origin_no_list_holds_is_refused_on_the_page(client: Any) -> None:
    # It could only be judged 不符合 against every origin condition; the page says why.
    page = client.get("/check", params={"origin": "火星人"})
    assert page.status_code == 422 and "无法识别“火星人”" in page.text and "开始自查" in page.text


def test_a_policy_met_by_one_route_says_what_its_crosses_are(client: Any) -> None:
    # 境外职业资格认可目录 is met as a 中国公民 holding a listed certificate while its items for
    # 外籍人员 fail: the headline had said 符合全部可判断的必备条件 beside ✗ 4 without a word.
    params = {"q": "境外职业资格", "origin": "中国公民", "age": "66", "residence": "在京工作"}
    page = client.get("/check", params={**params, "certificates": "境外职业资格证书"}).text
    articles = page.split('<article class="fit fit-yes">')[1:]
    crossed = [a for a in articles if "· ✗ 0 ·" not in a.split("</p>", 1)[0]]
    assert crossed, "a policy met by one route while other conditions fail"
    for article in crossed:
        # The route met is named (一、 of the 目录): "eligible" by an article about something
        # else (公证法 第十条, who heads a 公证机构) had read as eligible for what one came for.
        assert re.search(r"按[^<（]+所述情形；不符合的", article.split("</p>", 1)[0])
    body = client.get("/api/eligibility", params={**params, "certificates": "境外职业资格证书"}).json()
    met = [p for p in body["policies"] if p["eligible"] is True]
    assert met and all(p["route"] for p in met)
    assert all(p["route"] is None for p in body["policies"] if p["eligible"] is not True)


def test_the_page_shows_as_many_policies_as_size_asks(client: Any) -> None:
    # size had been ignored: always 10 policies a page.
    wide = client.get("/check", params={"age": "30"}).text
    assert wide.count('<article class="fit') > 1
    one = client.get("/check", params={"age": "30", "size": "1"}).text
    assert one.count('<article class="fit') == 1
    assert re.search(r'href="/check\?[^"]*size=1&amp;page=2#results"', one), "the next page keeps the size"
    bad = client.get("/check", params={"skill_level": "技师", "size": "500"})
    assert bad.status_code == 422 and "每页条数" in bad.text


def test_labels_shown_in_brackets_hold_none() -> None:
    # 「（优先条件（非必需））」 had nested brackets on the page.
    assert group_label("pref") == "优先条件，非必需"


def test_members_of_one_case_are_named_by_their_case() -> None:
    # 年满18周岁 and 22周岁以下 of one case (g1/a) had each said 满足其一即可, as if either bound would do.
    assert group_label("g1/a") == group_label("x1/a") == "情形一，满足任一情形即可"
    assert group_label("g#L3/1") == "情形二，满足任一情形即可"
    assert group_label("x1/ba") == "情形二之一，满足任一情形即可"  # 女满四十 of one item
    assert group_label("g1") == "满足其一即可" and group_label(None) == "必备"
    # 65周岁 beside （高精尖产业领域可放宽至70周岁） (g1, g1/b) had said 满足其一即可 beside 情形二.
    assert group_label("g1", siblings=["g1", "g1/b", None]) == "情形一，满足任一情形即可"
    assert group_label("g1", siblings=["g1", "g1"]) == "满足其一即可"  # no cases: each alone
    assert group_label("g1", siblings=["g1", "g1", "g1/b"]) == "满足其一即可"  # two bare: each its own
    assert group_label("sub") == "仅适用于特定类别" and group_label("g1/a", negated=True) == "不得属于"


def test_the_form_offers_the_parts_of_an_origin(client: Any) -> None:
    # One 港澳台 box had let a 香港 applicant pass provisions for 台湾同胞 only.
    html = client.get("/check").text
    every = ("中国公民", "外籍", "港澳", "台湾", "港澳台", "留学回国", "华侨", "归侨")
    offered = [v for v in every if f'name="origin" value="{v}"' in html]
    assert offered == ["中国公民", "外籍", "港澳", "台湾", "留学回国", "华侨", "归侨"]
    returned = client.get("/check", params={"origin": "归国华侨", "q": "技能大师工作室"}).text
    assert 'name="origin" value="归侨" checked' in returned  # 华侨, 归侨: read from the vocabulary
    ticked = client.get("/check", params={"origin": "港澳", "q": "技能大师工作室"}).text
    assert 'name="origin" value="港澳" checked' in ticked


def test_the_form_names_each_list_once_and_quotes_the_text(client: Any) -> None:
    # 证书（可多选） had been the fold's summary and again its legend; the 原文 column had
    # said 与条件相同 where the text's words were the requirement's.
    page = client.get("/check", params=PROFILE).text
    seen = re.sub(r'<(\w+) class="sr-only">.*?</\1>', "", page)  # what a screen shows
    assert seen.count("证书（可多选") == 1 and "与条件相同" not in page


def test_the_form_ticks_what_the_url_gives_in_any_spelling(client: Any) -> None:
    # origin=港澳台 (the API's value) had ticked no box, so resubmitting the form lost it.
    whole = client.get("/check", params={"origin": "港澳台", "q": "技能大师工作室"}).text
    assert 'name="origin" value="港澳" checked' in whole and 'name="origin" value="台湾" checked' in whole
    spelled = client.get("/check", params={"origin": ["海归", "香港"], "certificates": "技能等级证书"}).text
    assert 'name="origin" value="留学回国" checked' in spelled and 'name="origin" value="港澳" checked' in spelled
    assert 'name="origin" value="台湾" checked' not in spelled
    assert 'name="certificates" value="职业技能等级证书" checked' in spelled
    # A value the form does not offer (the API took it) is a box of its own, ticked.
    own = client.get("/check", params={"certificates": ["乡村医生执业证书", "技能等级证书"], "age": "50"}).text
    assert 'name="certificates" value="乡村医生执业证书" checked' in own
    assert own.count('value="职业技能等级证书"') == 1 and 'value="技能等级证书"' not in own


def test_clauses_the_profile_cannot_decide_fold_away(client: Any) -> None:
    # A long law had shown dozens of rows of ？ before the clause that counts.
    html = client.get("/check", params=PROFILE).text
    first = html.split('<article class="fit', 2)[1]
    shown, _, folded = first.partition('<details class="open-clauses">')
    assert "✓<span" in shown and "第四条" in shown
    assert folded and "需对照原文核实</summary>" in folded
    assert "✓<span" not in folded and "✗<span" not in folded  # only what a person must check


def test_a_list_field_may_hold_several_values_in_one_box(client: Any) -> None:
    # 天津户籍，在京工作 had been one tie, unknown against 在本市工作; read as two, the
    # workplace meets it.
    body = client.get("/api/eligibility", params={**PROFILE, "residence": "天津户籍，在京工作"}).json()
    assert body["profile"]["residence"] == ["天津户籍", "在京工作"]


def test_a_check_reading_only_the_first_candidates_says_so(client: Any, monkeypatch: Any) -> None:
    # 「共 40 项政策」 had read as all there are, when 40 is how many the check reads.
    whole = client.get("/check", params={"q": "技能大师工作室"})  # fewer than 40 found: all read
    assert "已对照检索到的前" not in whole.text and "项政策含可对照的条件" in whole.text
    monkeypatch.setattr("search_api.search.eligibility.CANDIDATES", 1)
    page = client.get("/check", params={"q": "技能大师工作室"})
    assert page.status_code == 200 and "已对照检索到的前 1 项政策" in page.text


def test_the_page_applies_the_searchs_filters_as_the_api_does(client: Any) -> None:
    # /check?year=1900 had answered every policy, and agency=中共北京市委办公厅 the
    # 技能大师工作室 办法 that 人社局 issued, where /api/eligibility applied them.
    issuer = {"agency": "中共北京市委办公厅", "skill_level": "技师"}
    page = client.get("/check", params=issuer)
    api = client.get("/api/eligibility", params=issuer).json()
    shown = re.findall(r'<h2><a href="/documents/[0-9a-f]+">([^<]+)</a></h2>', page.text)
    assert shown == [p["title"] for p in api["policies"]] and "北京市技能大师工作室建设管理办法" not in shown
    assert '<input type="hidden" name="agency" value="中共北京市委办公厅">' in page.text  # a resubmit keeps it
    none = client.get("/check", params={"year": "1900", "age": "30"})
    assert "共 0 项政策" in none.text and "取消筛选" in none.text
    bad = client.get("/check", params={"year": "abcd", "age": "30"})
    assert bad.status_code == 422 and "年份：“abcd”不是年份" in bad.text


def test_a_question_typed_on_the_page_fills_the_fields_left_empty(client: Any) -> None:
    # Typed into 关键词 on /check (not reached from the search page's link), it had left
    # every condition ？ 未填写职业技能等级.
    asked = client.get("/check", params={"q": "我是技师，今年50岁，能申请技能大师工作室吗"})
    assert "已从关键词中读取：职业技能等级“技师”、年龄“50”" in asked.text
    assert '<option value="技师" selected>' in asked.text and "未填写职业技能等级" not in asked.text
    # What the form says stands: the question fills only what it leaves empty.
    given = client.get("/check", params={"q": "我是技师，今年50岁，能申请技能大师工作室吗", "skill_level": "高级技师"})
    assert "已从关键词中读取：年龄“50”" in given.text and '<option value="高级技师" selected>' in given.text
    # A field sent empty was emptied by the applicant: the question does not fill it again.
    emptied = client.get("/check", params={"q": "我是技师，今年50岁，能申请技能大师工作室吗", "skill_level": ""})
    assert "已从关键词中读取：年龄“50”" in emptied.text and '<option value="技师" selected>' not in emptied.text
