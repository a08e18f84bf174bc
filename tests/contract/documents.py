"""Small hand-made documents the contract loads beside the book and removes again."""

from __future__ import annotations

from ingest.model import Document, Passage


def session_document(source: str, mark: str, passages: int) -> Document:
    """A small policy of ``passages`` passages that all contain the word ``mark``."""
    key = f"session-{source}"
    doc = Document(kind="policy", title=f"会话测试{mark}办法", key=key, source=source, id=f"{key}-doc")
    for i in range(passages):
        doc.passages.append(
            Passage(
                kind="policy",
                text=f"第{i + 1}条 会话测试{mark}的第{i + 1}个条款。",
                path=[f"第{i + 1}条"],
                locator=f"第{i + 1}条",
                id=f"{key}-p{i}",
                doc_id=doc.id,
                ord=i,
                citation=f"《会话测试{mark}办法》第{i + 1}条",
                date="2024-01-0" + str(i % 9 + 1),
                source=f"{source}:{i + 1}",
            )
        )
    return doc


def place_document(source: str, title: str, text: str) -> Document:
    """A one-article policy of ``title`` (whose first words name its place)."""
    return article_document(source, title, {"第一条": f"第一条 {text}"})


def article_document(source: str, title: str, articles: dict[str, str]) -> Document:
    """A policy of the given passages (locator → text; 第十四条（七） under 第十四条)."""
    key = f"articles-{source}"
    doc = Document(kind="policy", title=title, key=key, source=source, id=f"{key}-doc")
    for i, (locator, text) in enumerate(articles.items()):
        article, _, item = locator.partition("（")
        path = [article, f"（{item}"] if item else [article]
        doc.passages.append(
            Passage(
                kind="policy",
                text=text,
                path=path,
                locator=locator,
                id=f"{key}-p{i}",
                doc_id=doc.id,
                ord=i,
                citation=f"《{title}》{locator}",
                source=f"{source}:{i + 1}",
            )
        )
    return doc
