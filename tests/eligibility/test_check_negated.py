"""A condition that disqualifies is shown as one, on the 申报自查 page and the passage page.

公务员法 第二十六条 lists who may not be hired (有下列情形之一的，不得录用为公务员); the
check's JSON said ``negated: true``, but the page had shown 「因犯罪受过刑事处罚（必备）」.
"""

from __future__ import annotations

import re
import warnings

import pytest

from search_api.http.app import create_app
from tests.eligibility.small_index import searcher_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

RULES = """某市机关录用办法

第一条 为了规范录用工作，制定本办法。

第二条 报考人员应当具备下列条件：
（一）年满十八周岁；
（二）具有大学本科以上学历。

第三条 有下列情形之一的，不得录用：
（一）因犯罪受过刑事处罚的；
（二）被开除公职的。
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(searcher_of(tmp_path_factory, {"某市机关录用办法.txt": RULES})))


def test_a_disqualifying_condition_is_not_required(client: TestClient) -> None:
    page = client.get("/check", params={"q": "某市机关录用办法", "education": "本科", "age": "30"})
    assert page.status_code == 200
    kinds = dict(re.findall(r"<td data-label=\"条件\">([^<]+?) <small>（([^）]+)）</small>", page.text))
    assert kinds, page.text[-2000:]
    disqualifying = [requirement for requirement, kind in kinds.items() if "刑事处罚" in requirement]
    assert disqualifying and all(kinds[r] == "不得属于" for r in disqualifying)
    assert any(kind == "必备" for requirement, kind in kinds.items() if "本科" in requirement)
    body = client.get("/api/eligibility", params={"q": "某市机关录用办法", "education": "本科"}).json()
    clause = next(c for p in body["policies"] for c in p["clauses"] if "第三条" in c["citation"])
    passage = client.get(f"/passages/{clause['id']}").text
    assert "不得属于" in passage and "必备" not in passage
