"""How the synthetic ×N archive copies a parsed file (``synthetic_scale.py``): copy k of a
source is ``<source>#copy<k>``, with ids derived from it, its title marked （副本k） and
every date moved k years back, so that the copies are a library of similar documents
spread over N years rather than N identical records.
"""

from __future__ import annotations

import calendar
import copy
import re

from ingest.citations import citation
from ingest.model import Document, stable_id


def shift_date(iso: str | None, years: int) -> str | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) ``years`` earlier; 29 February becomes
    the 28th in a common year; anything else is returned unchanged."""
    if not iso or not years or not re.fullmatch(r"\d{4}(-\d{2}){0,2}", iso):
        return iso
    year = int(iso[:4]) - years
    rest = iso[4:]
    if rest == "-02-29" and not calendar.isleap(year):
        rest = "-02-28"
    return f"{year:04d}{rest}"


def copy_source(source: str, k: int) -> str:
    return source if k == 0 else f"{source}#copy{k}"


def copy_of(documents: list[Document], source: str, k: int) -> list[Document]:
    """Copy ``k`` of one file's enriched documents (see the module docstring); copy 0 is
    the documents themselves. Texts, tokens, paths and attrs are shared, not copied."""
    if k == 0:
        return documents
    new_source = copy_source(source, k)
    tag = f"（副本{k}）"
    ids = {doc.id: stable_id(new_source, doc.kind, doc.key) for doc in documents}
    out: list[Document] = []
    for doc in documents:
        meta = dict(doc.meta)
        for key in ("date", "valid_until"):
            if isinstance(meta.get(key), str):
                meta[key] = shift_date(meta[key], k)
        if isinstance(meta.get("header_dates"), list):
            meta["header_dates"] = [
                {**event, "date": shift_date(event.get("date"), k)} if isinstance(event, dict) else event
                for event in meta["header_dates"]
            ]
        out.append(
            Document(
                doc.kind,
                doc.title + tag,
                doc.key,
                new_source,
                [],
                meta,
                ids.get(doc.parent_id or "", doc.parent_id),
                ids[doc.id],
            )
        )
    titles = {d.id: d.title for d in out}
    for doc, new in zip(documents, out, strict=True):
        parent_title = titles.get(new.parent_id or "")
        for passage in doc.passages:
            p = copy.copy(passage)  # shallow: text, tokens, path, attrs are shared
            p.id = stable_id(new.id, passage.id)
            p.doc_id = new.id
            p.source = f"{new_source}:{passage.line}"
            p.date = shift_date(passage.date, k)
            p.citation = citation(new, p, parent_title)
            new.passages.append(p)
    return out
