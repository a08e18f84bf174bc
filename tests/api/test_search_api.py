"""The JSON API on the book: search, passages, documents, policies, events, suggestions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from search_api import cli
from search_api.http.params import REPEATED
from tests.api.index import EVIL_TITLE

SKILL_MASTER = "北京市技能大师工作室建设管理办法"
QUERY = "技能大师工作室申报条件"


def get(client: Any, url: str, status: int = 200, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == status, response.text
    return response.json()


def test_search_body_is_the_cli_json(
    client: Any, index_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POLICYKB_ES_URL", raising=False)
    assert cli.main(["search", QUERY, "--db", str(index_path), "--json", "--limit", "5", "--offset", "5"]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    assert get(client, "/api/search", q=QUERY, page=2, size=5) == from_cli


def test_a_typo_is_corrected_unless_the_words_are_asked_as_typed(
    client: Any, index_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corrected = get(client, "/api/search", q="户藉")
    assert corrected["query"]["corrections"] == [{"from": "户藉", "to": "户籍"}] and corrected["total"]
    typed = get(client, "/api/search", q="户藉", spell="false")
    assert typed["query"]["corrections"] == [] and typed["query"]["unmatched"] == ["户藉"] and not typed["total"]
    monkeypatch.delenv("POLICYKB_ES_URL", raising=False)
    assert cli.main(["search", "户藉", "--db", str(index_path), "--json", "--no-spell"]) == 0
    assert json.loads(capsys.readouterr().out) == typed


def test_an_amount_of_five_digits_is_read_as_the_text_writes_it(client: Any) -> None:
    # 300000元 made the query fail (the numeral writer stopped at 9999); the 办法 writes 30万元.
    body = get(client, "/api/search", q="资助300000元")
    assert body["hits"][0]["citation"].startswith(f"《{SKILL_MASTER}》第二十条")
    assert "<mark>30万元</mark>" in body["hits"][0]["highlight"]


def test_search_finds_the_article_with_filters_and_facets(client: Any) -> None:
    body = get(client, "/api/search", q=QUERY)
    top = body["hits"][0]
    assert top["doc_title"] == SKILL_MASTER and top["citation"].startswith(f"《{SKILL_MASTER}》")
    facets = {"agency", "mentioned_agency", "region", "year", "talent_category", "doc_kind", "doc_type", "clause_type"}
    assert set(body["facets"]) == facets
    assert sum(v["count"] for v in body["facets"]["doc_type"]) == body["total"]
    assert all(v["doc_count"] is None for v in body["facets"]["doc_type"])  # only when asked for
    counted = get(client, "/api/search", q=QUERY, facet_docs="true")["facets"]["doc_type"]
    assert [v["count"] for v in counted] == [v["count"] for v in body["facets"]["doc_type"]]
    assert all(1 <= v["doc_count"] <= v["count"] for v in counted)

    agency = "北京市人力资源和社会保障局"
    body = get(client, "/api/search", q="职称", agency=agency, size=50)
    assert body["hits"] and all(agency in h["agencies"] for h in body["hits"])
    assert [v["value"] for v in body["facets"]["agency"] if v["selected"]] == [agency]

    body = get(client, "/api/search", q="工作室", eligibility_only="true", size=50)
    assert body["hits"] and all(h["eligibility"] for h in body["hits"])
    # A policy clause among them says which of the two it is.
    clauses = [h for h in body["hits"] if h["doc_type"] == "policy"]
    assert clauses and all(h["clause_type"] in ("condition", "benefit") for h in clauses)
    body = get(client, "/api/search", doc_number="京人社能发 [2023] 3 号", size=50)
    assert body["total"] > 20 and all(h["doc_number"] == "京人社能发〔2023〕3号" for h in body["hits"])
    body = get(client, "/api/search", year="2023", doc_type="event", sort="date", size=50)
    dates = [h["date"] for h in body["hits"]]
    assert dates and dates == sorted(dates, reverse=True) and all(d.startswith("2023") for d in dates)


def test_pages_follow_each_other(client: Any) -> None:
    whole = [h["id"] for h in get(client, "/api/search", q="人才", size=30)["hits"]]
    paged = [h["id"] for page in (1, 2, 3) for h in get(client, "/api/search", q="人才", size=10, page=page)["hits"]]
    assert paged == whole


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"size": 0}, "size"),
        ({"size": 51}, "size"),
        ({"page": 0}, "page"),
        ({"page": 101, "size": 10}, "beyond 1000"),
        ({"q": "人" * 201}, "200 characters"),
        ({"sort": "score"}, "sort"),
        ({"date_from": "2023-13"}, "date_from"),
        ({"date_to": "May 2023"}, "date_to"),
        ({"eligibility_only": "maybe"}, "eligibility_only"),
        ({"agency": "x" * 101}, "agency"),
        ({"year": "abc"}, "year must be a year"),  # had matched nothing, silently
        ({"clause_type": "support"}, "clause_type must be one of"),  # the same
        ({"doc_kind": "zzz"}, "doc_kind must be one of"),  # the same
        ({"doc_type": "para"}, "doc_type must be one of"),
        ({"talent_category": "不存在"}, "talent_category must be one of"),
        ({"doc_number": ["京人社能发[2023]3号", "0"]}, "doc_number: given more than once"),
        ({"sort": ["date", "relevance"]}, "sort: given more than once"),
    ],
)
def test_bad_parameters_get_one_clear_422(client: Any, params: dict[str, Any], words: str) -> None:
    body = get(client, "/api/search", 422, **params)
    assert set(body) == {"error", "message"} and body["error"] == "invalid_request"
    assert words in body["message"]
    # The user's reading first: Chinese, before the developer's English.
    assert re.match(r"[\u4e00-\u9fff]", body["message"]) or re.match(r"\w+ [\u4e00-\u9fff]", body["message"])


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/policies?q=办法&q=条例", "q"),
        ("/api/eligibility?age=30&age=60", "age"),
        ("/api/suggest?q=技能&q=人才", "q"),
        ("/api/events?size=5&size=50", "size"),
    ],
)
def test_a_single_parameter_given_twice_is_a_422_on_every_route(client: Any, url: str, name: str) -> None:
    # FastAPI reads the last of them: the answer was to a question the client did not ask alone.
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["message"] == f"参数无效：{name} 只能给一次 invalid parameter {name}: {REPEATED}"


@pytest.mark.parametrize(
    ("url", "taken"),
    [
        ("/api/search?q=技能&from=10", "page"),
        ("/api/eligibility?age=30&from=10", "education"),
        ("/api/policies?q=办法&from=10", "agency"),
        ("/api/events?from=10", "size"),
        ("/api/suggest?q=技能&from=10", "limit"),
    ],
)
def test_a_parameter_a_route_does_not_take_is_a_422(client: Any, url: str, taken: str) -> None:
    # Ignored, offset=10 had answered page 1 again: a client paging by offset saw the same hits.
    response = client.get(url)
    assert response.status_code == 422
    message = response.json()["message"]
    assert message.startswith("参数无效：from 不是本接口的参数"), message
    assert taken in message.split("takes: ", 1)[1].split(", ")


def test_the_parameters_a_route_takes_are_accepted(client: Any) -> None:
    assert client.get("/api/search?q=技能&page=2&size=10").status_code == 200
    assert client.get("/api/eligibility?age=30&education=硕士&origin=外籍&origin=港澳台&page=1").status_code == 200


def test_a_client_may_page_by_offset(client: Any) -> None:
    by_page = client.get("/api/search?q=技能&page=2&size=5").json()["hits"]
    by_offset = client.get("/api/search?q=技能&offset=5&size=5").json()["hits"]
    assert by_page and [h["id"] for h in by_offset] == [h["id"] for h in by_page]
    assert client.get("/api/search?q=技能&offset=5&size=5&page=2").status_code == 200  # both agree
    for url in ("/api/search?q=技能&offset=3&size=5", "/api/search?q=技能&offset=5&size=5&page=3"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.json()["message"].startswith("参数无效：offset 应为5的整数倍，且与 page 一致"), url


def test_one_documents_matches_as_the_page_lists_them(client: Any) -> None:
    # The page's 「查看全部N处匹配」 link (doc_id) had been a 422 on the API: 不是本接口的参数.
    documents = get(client, "/api/search", q="技能", group="document")["hits"]
    doc = next(d for d in documents if d["matches"] > 1)
    narrowed = get(client, "/api/search", q="技能", doc_id=doc["doc_id"], size=50)
    assert narrowed["total"] == doc["matches"] and {h["doc_id"] for h in narrowed["hits"]} == {doc["doc_id"]}
    assert "doc_id" in get(client, "/api/search", 422, q="技能", doc_id="not-an-id")["message"]
    upper = get(client, "/api/search", q="技能", doc_id=doc["doc_id"].upper(), size=50)  # as the page reads it
    assert upper["total"] == narrowed["total"]


def test_a_list_parameter_may_repeat(client: Any) -> None:
    assert client.get("/api/events?agency=北京市人民政府&agency=中共北京市委员会").status_code == 200
    assert client.get("/api/eligibility?origin=外籍&origin=港澳台").status_code == 200


def test_passage_with_path_neighbours_and_document(client: Any) -> None:
    hits = get(client, "/api/search", q=QUERY)["hits"]
    article = next(h for h in hits if h["citation"].startswith(f"《{SKILL_MASTER}》第四条"))
    view = get(client, f"/api/passages/{article['id']}")
    assert view["passage"]["id"] == article["id"] and view["passage"]["text"] == article["text"]
    labels = [c["label"] for c in view["breadcrumb"]]
    assert labels[:2] == ["北京人才发展报告（2023）", SKILL_MASTER] and labels[2:] == view["passage"]["path"]
    assert view["document"]["id"] == article["doc_id"]
    ords = view["passage"]["ord"]
    assert view["previous"]["ord"] == ords - 1 and view["next"]["ord"] == ords + 1
    first = get(client, f"/api/passages/{view['document']['passage_ids'][0]}")
    assert first["previous"] is None
    # The citation to copy, as the page's button gives it: the 文号 after the title (the API
    # had only the compact one, so the two surfaces cited the same clause differently).
    number = view["passage"]["doc_number"]
    assert number and view["formal_citation"].startswith(f"《{SKILL_MASTER}》（{number}）第四条")
    assert view["formal_citation"] in client.get(f"/passages/{article['id']}").text


def test_document_tree_holds_every_passage_once(client: Any) -> None:
    doc_id = get(client, "/api/search", q=QUERY)["hits"][0]["doc_id"]
    view = get(client, f"/api/documents/{doc_id}")
    assert view["document"]["title"] == SKILL_MASTER and view["parent"]["label"] == "北京人才发展报告（2023）"

    def ids(node: dict[str, Any]) -> list[str]:
        return node["passage_ids"] + [i for child in node["children"] for i in ids(child)]

    in_tree = ids(view["tree"])
    assert sorted(in_tree) == sorted(view["document"]["passage_ids"]) == sorted(p["id"] for p in view["passages"])
    chapters = [c["label"] for c in view["tree"]["children"]]
    assert "第二章 申报条件" in chapters


def test_unknown_ids_are_404_json(client: Any) -> None:
    for url in ("/api/passages/0000000000000000", "/api/documents/nope", "/api/nothing-here"):
        body = get(client, url, 404)
        assert body["error"] == "not_found" and set(body) == {"error", "message"}
        assert body["message"].startswith("没有这")


def test_policies_filtered(client: Any) -> None:
    everything = get(client, "/api/policies")
    assert everything["total"] == len(everything["policies"]) >= 20
    record = next(r for r in everything["policies"] if r["doc_number"] == "京人社能发〔2023〕3号")
    assert record["title"] == SKILL_MASTER and record["valid_until"] == "2030-12-31" and record["articles"] == 29
    variants = ("京人社能发[2023]3号", "京人社能发【2023】第3号", "京人社能发 2023 3号", "京人社能发〔2023〕03号")
    # As the search box reads them: full-width digits, traditional characters, the year as a year.
    variants += ("京人社能发〔２０２３〕３号", "京人社能發〔2023〕3號", "京人社能发2023年3号")
    for variant in variants:
        by_number = get(client, "/api/policies", doc_number=variant)["policies"]
        assert [r["id"] for r in by_number] == [record["id"]], variant
        assert [r["id"] for r in get(client, "/api/policies", q=variant)["policies"]] == [record["id"]], variant
        searched = get(client, "/api/search", doc_number=variant, group="document")["hits"]
        assert searched and searched[0]["doc_id"] == record["id"], variant
    agency = "北京市教育委员会"
    assert all(agency in r["agencies"] for r in get(client, "/api/policies", agency=agency)["policies"])
    in_march = get(client, "/api/policies", date_from="2023-03", date_to="2023-03")["policies"]
    assert in_march and all(r["date"].startswith("2023-03") for r in in_march)
    assert record["id"] in {r["id"] for r in get(client, "/api/policies", q="技能大师")["policies"]}
    # A title typed in traditional characters, as the search box reads it (0 found before).
    assert record["id"] in {r["id"] for r in get(client, "/api/policies", q="技能大師工作室")["policies"]}
    get(client, "/api/policies", 422, date_from="2023-02-30")


@pytest.mark.parametrize("path", ["/api/search?q=人才", "/api/policies?q=", "/api/events?q="])
def test_a_date_range_ending_before_it_starts_is_refused(client: Any, path: str) -> None:
    # It matched nothing, silently, while the page said which dates to swap.
    response = client.get(path, params={"date_from": "2024", "date_to": "2020-06"})
    assert response.status_code == 422
    assert "date_to must not be earlier than date_from" in response.json()["message"]


def test_the_policy_list_refuses_a_year_that_is_none(client: Any) -> None:
    # As /api/search does: year=abc had listed nothing, said nowhere why.
    response = client.get("/api/policies", params={"year": "abc"})
    assert response.status_code == 422 and "year must be a year" in response.json()["message"]
    assert client.get("/api/policies", params={"year": "2023"}).json()["total"] > 0


def test_events_timeline_by_date(client: Any) -> None:
    body = get(client, "/api/events", date_from="2023-05", date_to="2023-06", size=50)
    dates = [e["date"] for e in body["events"]]
    assert body["total"] == len(dates) > 0
    # A month-precision date ("2023-05") lies inside the range too.
    assert all("2023-05" <= d[:7] <= "2023-06" for d in dates) and dates == sorted(dates, reverse=True)
    everything = get(client, "/api/events", size=50)
    assert everything["total"] > body["total"]


def test_events_words_are_in_the_entry_itself(client: Any) -> None:
    # Every entry sits under the timeline's title (…人才工作大事记): 人才 had matched all of them.
    everything = get(client, "/api/events", size=50)["total"]
    talent = get(client, "/api/events", q="人才", size=50)
    assert 0 < talent["total"] < everything and all("人才" in e["text"] for e in talent["events"])
    assert get(client, "/api/events", q="大事记")["total"] == 0


def test_suggest_titles_and_doc_numbers(client: Any) -> None:
    found = get(client, "/api/suggest", q="北京市技能大师")["suggestions"]
    assert found[0]["title"] == SKILL_MASTER and found[0]["url"] == f"/policies/{found[0]['id']}"
    assert get(client, "/api/suggest", q="京人社能发（2023")["suggestions"][0]["id"] == found[0]["id"]
    assert get(client, "/api/suggest", q="")["suggestions"] == []
    assert len(get(client, "/api/suggest", q="北京", limit=3)["suggestions"]) == 3
    get(client, "/api/suggest", 422, limit=0)


def test_health_and_readiness(client: Any) -> None:
    assert get(client, "/healthz") == {"status": "ok"}
    ready = get(client, "/readyz")
    assert ready["status"] == "ready" and ready["engine"] == "tantivy" and ready["passages"] > 1500


# ------------------------------------------------------------------ security


def test_script_in_query_and_documents_comes_back_escaped(client: Any) -> None:
    response = client.get("/api/search", params={"q": "<script>alert(1)</script>人才公寓"})
    assert response.status_code == 200
    assert "<" not in response.text and ">" not in response.text  # not even inside JSON strings
    body = response.json()
    evil = [h for h in body["hits"] if h["doc_title"] == EVIL_TITLE]
    assert evil, "the hostile document is found"
    for hit in body["hits"]:
        bare = hit["highlight"].replace("<mark>", "").replace("</mark>", "")
        assert "<" not in bare and ">" not in bare
    assert any("&lt;<mark>script</mark>&gt;" in h["highlight"] for h in evil)
    # A literal "</mark>" in a document is text, not one of the highlighter's tags.
    assert any("&lt;/mark&gt;" in h["highlight"] for h in evil)
    # The data itself is intact: JSON carries the text, the page escapes it.
    assert any("<script>" in h["text"] for h in evil)


def test_engine_syntax_is_text(client: Any) -> None:
    for q in ('"人才', "人才 OR", "title:人才", "人才*", "(人才", "-人才", "\\", "{}", "人才 AND NOT 政策", "\x00"):
        assert client.get("/api/search", params={"q": q}).status_code == 200, q


def test_the_schema_lists_a_closed_facets_values(client: Any) -> None:
    # A client had to guess doc_kind and doc_type values (abstract, catalogue_entry …).
    parameters = client.get("/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]
    described = {p["name"]: p.get("description") or p["schema"].get("description", "") for p in parameters}
    assert "one of: report, report_chapter, policy" in described["doc_kind"]
    assert "catalogue_entry" in described["doc_type"] and "condition" in described["clause_type"]
    assert "one of" not in described["agency"]  # an open facet


def test_read_only_and_no_cors_by_default(client: Any) -> None:
    operations = client.get("/openapi.json").json()["paths"]
    assert operations and all(set(methods) == {"get"} for methods in operations.values())
    for page in ("/", "/policies", "/events"):
        assert client.post(page).status_code == 405
    response = client.get("/api/search", params={"q": "人才"}, headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers
    assert client.post("/api/search").status_code == 405
    assert response.headers["x-content-type-options"] == "nosniff"


def test_cors_only_for_configured_origins(settings: Any) -> None:
    from fastapi.testclient import TestClient

    from search_api.http.app import create_app

    client = TestClient(create_app(settings, cors_origins=["https://portal.example"]))
    allowed = client.get("/healthz", headers={"Origin": "https://portal.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
    other = client.get("/healthz", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def test_a_choice_error_lists_the_choices_in_chinese(client: Any) -> None:
    message = get(client, "/api/search", 422, sort="score")["message"]
    assert message.startswith("参数无效：sort 应为以下之一：'relevance'、'date'"), message
