"""Two files of one text (ingest.fingerprint.text_key): the same key whatever their headers,
another key for a text one word apart, none for a text without units."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import Pipeline
from search_api.search.policy_table import PolicyTable

ARTICLES = """第一条 为了规范网络消费纠纷案件的审理，制定本规定。
第二条 电子商务经营者提供的格式条款有下列内容的，人民法院应当依法认定其无效：
（一）收货人签收商品即视为认可商品质量符合约定；
（二）电子商务经营者享有单方解释权或者最终解释权。
第三条 本规定自2022年3月15日起施行。
"""
TITLE = "最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定\n"
ADOPTED = TITLE + "2022年2月15日 最高人民法院审判委员会第1864次会议通过\n"
IN_FORCE = TITLE + "法释〔2022〕8号\n"


def parsed(tmp_path: Path, name: str, text: str) -> dict[str, object]:
    doc = Pipeline().parse_bytes(tmp_path / name, text.encode("utf-8"), name).documents[0]
    return {"id": doc.id, "title": doc.title, "kind": "policy", "meta": doc.meta}


def test_copies_share_a_key_and_are_no_versions_of_each_other(tmp_path: Path) -> None:
    adopted = parsed(tmp_path, "a.txt", ADOPTED + ARTICLES)
    in_force = parsed(tmp_path, "b.txt", IN_FORCE + ARTICLES.replace("，", "， "))
    amended = parsed(tmp_path, "c.txt", ADOPTED.replace("2022年2月15日", "2023年5月1日") + ARTICLES + "第四条 新增。\n")
    keys = [doc["meta"]["text_key"] for doc in (adopted, in_force, amended)]  # type: ignore[index]
    assert keys[0] and keys[0] == keys[1] != keys[2]
    table = PolicyTable.of([adopted, in_force])
    assert not table.superseded  # 2022-03-15 is the same text, not a later version
    assert PolicyTable.of([adopted, in_force, amended]).superseded == {adopted["id"], in_force["id"]}


def test_a_text_without_units_has_no_key(tmp_path: Path) -> None:
    note = parsed(tmp_path, "n.txt", "关于做好人才工作的通知\n各区人民政府：请认真贯彻执行。\n")
    assert note["meta"].get("text_key") is None  # type: ignore[attr-defined]
