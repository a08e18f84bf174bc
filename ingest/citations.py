"""Where each passage of a file is: stable ids, reading order, source lines and citations.

Once a file is segmented, :func:`finalize` gives its documents and passages what a search
result needs to point back into the source: ids stable across runs (from the source name,
the kind and the passage's place, so that a re-ingest replaces what it replaced before),
the reading order, the ``file:line`` location, the date a passage inherits, and the
citation a reader can look up (《policy》第四条（一）, 《report》B.1 一（一）第2段，第3页).
A policy also gets its number of articles, whether its full text is known and the key of
its text. :mod:`ingest.pipeline` calls it for every file.
"""

from __future__ import annotations

from collections import Counter

from analysis.text import inner_title_marks
from ingest.fingerprint import text_key
from ingest.model import CATALOGUE_ENTRY, Document, Passage, stable_id


def finalize(documents: list[Document], source: str) -> None:
    """Stable ids, reading order, source locations, dates and citations."""
    by_key: dict[str, Document] = {}
    for doc in documents:
        doc.source = source
        doc.id = stable_id(source, doc.kind, doc.key)
        by_key[doc.key] = doc
    ids = {d.key: d.id for d in documents}
    titles = {d.id: d.title for d in documents}
    for doc in documents:
        if doc.parent_id and doc.parent_id in ids:
            doc.parent_id = ids[doc.parent_id]
        seen: Counter[tuple[str, ...]] = Counter()
        shared = Counter(p.locator for p in doc.passages if p.attrs.get("part", 1) == 1)
        paragraphs: Counter[str] = Counter()
        for order, passage in enumerate(doc.passages):
            key = (passage.kind, *passage.path, passage.locator)
            seen[key] += 1
            passage.id = stable_id(doc.id, *key, str(seen[key]))
            passage.doc_id = doc.id
            passage.ord = order
            passage.source = f"{source}:{passage.line}"
            if passage.date is None:
                passage.date = passage.attrs.get("date") or doc.meta.get("date")
            # A report heading with several paragraphs numbers them (…B.2 一（二）第3段), so
            # that each can be cited apart; the parts of one long paragraph share its number.
            # (A policy's units are cited by its own numbering, 条 › 款 › 项.)
            if passage.attrs.get("part", 1) == 1:
                paragraphs[passage.locator] += 1
            number = paragraphs[passage.locator] if shared[passage.locator] > 1 and doc.kind != "policy" else None
            passage.citation = citation(doc, passage, titles.get(doc.parent_id or ""), number)
        if doc.kind == "policy":
            doc.meta["articles"], doc.meta["article_unit"] = count_articles(doc)
            # A policy known only by its catalogue line (政策目录) has no clause of its own.
            doc.meta["full_text"] = any(p.kind != CATALOGUE_ENTRY for p in doc.passages)
            doc.meta["text_key"] = text_key(doc)


def citation(doc: Document, passage: Passage, parent_title: str | None, paragraph: int | None = None) -> str:
    """《policy》第四条（一）; 《report》B.1 一（一）1.，第3页; 《report》B.1 一（一）第2段，第3页
    (the second paragraph under a heading that has several; B.14 第2段 after a Latin or digit
    end); 《report》大事记 3月17日; a policy's 政策目录 line by the report that prints it
    (《report》政策目录 6，第395页: the policy does not hold the line)."""
    if (doc.kind in ("report_chapter", "timeline") or passage.kind == CATALOGUE_ENTRY) and parent_title:
        text = f"《{inner_title_marks(parent_title)}》"
        if doc.kind == "timeline":
            text += doc.title + " "
    else:
        text = f"《{inner_title_marks(doc.title)}》"
    text = (text + passage.locator).strip()
    if paragraph is not None:
        text += f" 第{paragraph}段" if passage.locator and passage.locator[-1].isascii() else f"第{paragraph}段"
    if passage.page:
        # A section's own mark does not stand before the page's comma (一、，第402页). A page
        # the cleaner could only estimate (``attrs["page_estimated"]``, ingest.segment.book)
        # says so: 约第392页.
        about = "约" if passage.attrs.get("page_estimated") else ""
        text = text.rstrip("、.") + f"，{about}第{passage.page}页"
    return text


def count_articles(doc: Document) -> tuple[int | None, str | None]:
    """Number of 条 of a policy whose full text is known; for texts without 条, the
    numbered items (1. 2. …), else the sections (一、二、…); with the unit counted
    (``ARTICLE_MEASURES``' keys). None and None without a full text."""
    units: dict[str, set[tuple[object, ...]]] = {"article": set(), "numbered": set(), "section": set()}
    for p in doc.passages:
        unit = p.attrs.get("unit")
        if p.kind == "policy" and unit in units:
            units[unit].add((p.attrs.get("article"), p.attrs.get("article_sub"), p.locator))
    for unit in ("article", "numbered", "section"):
        if units[unit]:
            return len(units[unit]), unit
    return None, None
