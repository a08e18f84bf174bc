"""A policy page shows each article once and each of its items once, nested below it."""

from __future__ import annotations

from dataclasses import dataclass, field

from search_api.http.page.display import Clause, clause_tree


@dataclass
class _Passage:
    id: str
    text: str
    path: list[str]
    kind: str = "policy"
    notes: list[str] = field(default_factory=list)


def _texts(clauses: list[Clause]) -> list[str]:
    out = []
    for clause in clauses:
        out += (
            [t for t in (clause.before, clause.lead) if t]
            + _texts(clause.children)
            + ([clause.tail] if clause.tail else [])
        )
    return out


def test_an_article_with_text_between_its_lists_shows_every_part_once() -> None:
    # 上海市集体合同条例 第二十一条: two lists, a sentence between; its whole text had been
    # shown, and then every item again below it.
    first, second = "（一）限制人身自由；", "（一）破坏企业设备；"
    article = f"第二十一条 企业不得采取下列行为：\n{first}\n职工不得采取下列行为：\n{second}\n本条自公布之日起施行。"
    passages = [
        _Passage("a", article, ["第二十一条"]),
        _Passage("i1", first, ["第二十一条", "（一）"]),
        _Passage("i2", second, ["第二十一条", "（一）#2"]),
    ]
    (clause,) = clause_tree(passages, "某条例")
    assert _texts([clause]) == [
        "第二十一条 企业不得采取下列行为：",
        first,
        "职工不得采取下列行为：",
        second,
        "本条自公布之日起施行。",
    ]
