"""Appendices of a report: a 大事记 timeline and a 政策目录 policy catalogue with full texts.

Timeline: month headings "N月" and entries "6日 …", "28~29日 …", "30日至8月4日 …"; an
entry without a day keeps its month (date precision "month"). The year comes from the
appendix heading ("2023年…大事记").

Catalogue: entries "N. 《title》（文号，agencies，M月D日）" (文号 or agencies may be absent)
give one policy document each. Full texts that follow the catalogue are cut at their title
lines, split into clauses by :class:`ingest.segment.clauses.ClauseSplitter` and attached
to their catalogue record by 文号 or by title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clean import normalize_width
from ingest.model import Document, Passage, SourceLine
from knowledge.docnum import find_doc_numbers, parse_doc_number

YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
MONTH_HEADING = re.compile(r"^(?P<month>\d{1,2})\s*月$")
EVENT = re.compile(
    r"^(?P<d1>\d{1,2})日?(?:\s*(?:~|～|-|—|至|到)\s*(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2}))?日\s*(?P<text>\S.*)$"
)
CATALOGUE_HEADING = re.compile(r"^政\s*策\s*目\s*录$")
TIMELINE_HEADING = re.compile(r"大\s*事\s*记")
APPENDIX_PREFIX = re.compile(r"^附录[一二三四五六七八九十\d]+\s*")
CATALOGUE_ENTRY = re.compile(r"^(?P<n>\d{1,3})\s?[.．、]\s*《(?P<title>.*)》\s*[（(](?P<inner>.*)[)）]\s*$")
ENTRY_DATE = re.compile(r"^(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日$")
NOTICE_TITLE = re.compile(r"印\s*发\s*《(?P<inner>.+)》\s*的?\s*通知$")
POLICY_TITLE_MAX = 120


def normalize_doc_number(text: str) -> str:
    """A 文号 compared across spellings: brackets 〔〕[]()【】（） and spaces dropped."""
    return re.sub(r"[\s〔〕\[\]()（）【】]", "", normalize_width(text))


def normalize_title(text: str) -> str:
    """A title compared across spellings: 《》〈〉, spaces, width and dash/tilde variants ignored."""
    text = normalize_width(text)
    text = re.sub(r"[《》〈〉\s]", "", text)
    return re.sub(r"[~～—–\-－至]", "-", text)


def heading_year(text: str) -> int | None:
    match = YEAR.search(text)
    return int(match.group("year")) if match else None


# -- timeline --------------------------------------------------------------------------


def segment_timeline(lines: list[SourceLine], source: str) -> Document:
    """One ``timeline`` document with one ``event`` passage per entry."""
    heading = lines[0].text if lines else ""
    title = APPENDIX_PREFIX.sub("", heading).strip()
    year = heading_year(heading)
    doc = Document(kind="timeline", title=title, key=f"timeline:{title}", source=source, meta={"year": year})
    month: int | None = None
    previous_date: str | None = None
    for line in lines[1:]:
        month_match = MONTH_HEADING.match(line.text)
        if month_match:
            month = int(month_match.group("month"))
            continue
        attrs = _event_attrs(line.text, year, month)
        if attrs.get("date_precision") == "month" and previous_date:
            attrs["after_date"] = previous_date  # an undated entry follows this dated one
        elif attrs.get("date_precision") == "day":
            previous_date = attrs["date"]
        month_label = f"{month}月" if month else ""
        doc.passages.append(
            Passage(
                "event",
                line.text,
                [title, month_label] if month_label else [title],
                f"{month_label}{attrs.get('day_label', '')}",
                line.line,
                line.page,
                attrs={k: v for k, v in attrs.items() if k != "day_label"},
            )
        )
    return doc


def _event_attrs(text: str, year: int | None, month: int | None) -> dict[str, str]:
    """ISO date (and end date for ranges) of one timeline entry."""
    if year is None or month is None:
        return {}
    match = EVENT.match(text)
    if not match:
        return {"date": f"{year:04d}-{month:02d}", "date_precision": "month"}
    start = f"{year:04d}-{month:02d}-{int(match.group('d1')):02d}"
    attrs = {"date": start, "date_precision": "day", "day_label": text[: match.start("text")].strip()}
    if match.group("d2"):
        end_month = int(match.group("m2") or month)
        attrs["date_end"] = f"{year:04d}-{end_month:02d}-{int(match.group('d2')):02d}"
    return attrs


# -- catalogue -------------------------------------------------------------------------


@dataclass
class CatalogueEntry:
    number: int
    title: str
    doc_number: str | None
    agencies_raw: list[str]
    date: str | None
    line: SourceLine


def parse_catalogue_entry(line: SourceLine, year: int | None) -> CatalogueEntry | None:
    """Fields of "N. 《title》（文号，agencies，M月D日）"; None when ``line`` is not an entry."""
    match = CATALOGUE_ENTRY.match(line.text)
    if not match:
        return None
    parts = [p.strip() for p in re.split(r"[，,]", match.group("inner")) if p.strip()]
    doc_number = next((p for p in parts if parse_doc_number(p) is not None), None)
    date = None
    if parts and (when := ENTRY_DATE.match(parts[-1])) and year:
        date = f"{year:04d}-{int(when.group('month')):02d}-{int(when.group('day')):02d}"
    agency_parts = [p for p in parts if p != doc_number and not ENTRY_DATE.match(p)]
    agencies = [name for part in agency_parts for name in re.split(r"[、\s]+", part) if name]
    return CatalogueEntry(int(match.group("n")), match.group("title").strip(), doc_number, agencies, date, line)


def catalogue_document(entry: CatalogueEntry, source: str) -> Document:
    key = normalize_doc_number(entry.doc_number) if entry.doc_number else entry.title
    meta = {
        "doc_number": entry.doc_number,
        "agencies_raw": entry.agencies_raw,
        "date": entry.date,
        "catalogue_number": entry.number,
    }
    passage = Passage(
        "catalogue_entry",
        entry.line.text,
        [entry.title],
        f"政策目录 {entry.number}",
        entry.line.line,
        entry.line.page,
        attrs={"number": entry.number, **meta},
    )
    return Document(kind="policy", title=entry.title, key=key, source=source, passages=[passage], meta=meta)


def segment_catalogue(lines: list[SourceLine], source: str) -> list[Document]:
    """Policy documents of a 政策目录 appendix, with the full texts that follow attached."""
    year = heading_year(lines[0].text) if lines else None
    start = next((i for i, line in enumerate(lines) if CATALOGUE_HEADING.match(line.text.strip())), None)
    if start is None:
        return []
    documents: list[Document] = []
    index = start + 1
    while index < len(lines) and (entry := parse_catalogue_entry(lines[index], year)):
        documents.append(catalogue_document(entry, source))
        index += 1
    for title_line, body in split_full_texts(lines[index:], documents):
        attach_full_text(documents, title_line, body, source)
    return documents


# -- full texts ------------------------------------------------------------------------


def split_full_texts(lines: list[SourceLine], known: list[Document]) -> list[tuple[SourceLine, list[SourceLine]]]:
    """Cut the full texts at their title lines: a catalogue title (or "印发《title》的通知"),
    or a title-like line followed by a 文号 line."""
    titles = {normalize_title(doc.title) for doc in known}
    starts = [i for i, line in enumerate(lines) if _is_title_line(lines, i, titles)]
    texts: list[tuple[SourceLine, list[SourceLine]]] = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        texts.append((lines[start], lines[start:end]))
    return texts


def _is_title_line(lines: list[SourceLine], index: int, titles: set[str]) -> bool:
    text = lines[index].text
    if len(text) > POLICY_TITLE_MAX or text.endswith(("。", "；", "：", ":")):
        return False
    if _title_key(text, titles) is not None:
        return True
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return parse_doc_number(following) is not None and not find_doc_numbers(text)


def _title_key(text: str, titles: set[str]) -> str | None:
    """The catalogue title this line names, directly or as "关于印发《X》的通知"."""
    candidates = [normalize_title(text)]
    notice = NOTICE_TITLE.search(text)
    if notice:
        candidates.append(normalize_title(notice.group("inner")))
    return next((c for c in candidates if c in titles), None)


def attach_full_text(documents: list[Document], title_line: SourceLine, body: list[SourceLine], source: str) -> None:
    """Split ``body`` into clauses and attach them to the matching policy (or a new one)."""
    from ingest.segment.clauses import ClauseSplitter  # owned by the clause-splitting module

    doc_number = next((line.text.strip() for line in body[1:3] if parse_doc_number(line.text) is not None), None)
    target = _find_policy(documents, title_line.text, doc_number)
    if target is None:
        notice = NOTICE_TITLE.search(title_line.text)
        title = notice.group("inner") if notice else title_line.text
        key = normalize_doc_number(doc_number) if doc_number else title
        target = Document(kind="policy", title=title, key=key, source=source, meta={"doc_number": doc_number})
        documents.append(target)
    target.meta["full_text_title"] = title_line.text
    if doc_number and not target.meta.get("doc_number"):
        target.meta["doc_number"] = doc_number
    # A preamble that only repeats the title is the title, shown above the clauses already.
    titles = {normalize_title(target.title), normalize_title(title_line.text)}
    target.passages.extend(
        p
        for p in ClauseSplitter().split(body)
        if p.attrs.get("unit") != "preamble" or normalize_title(p.text) not in titles
    )
    # Validity and repeal relations are read from the clauses by the enrichment step
    # (ingest.enrich.dates), the same for every policy whatever its source.


def _find_policy(documents: list[Document], title_text: str, doc_number: str | None) -> Document | None:
    if doc_number:
        wanted = normalize_doc_number(doc_number)
        for doc in documents:
            if doc.meta.get("doc_number") and normalize_doc_number(doc.meta["doc_number"]) == wanted:
                return doc
    titles = {normalize_title(doc.title): doc for doc in documents}
    key = _title_key(title_text, set(titles))
    return titles.get(key) if key else None


def segment_appendix(lines: list[SourceLine], source: str) -> list[Document]:
    """Dispatch an appendix region by its markers: a 大事记 timeline or a 政策目录."""
    if not lines:
        return []
    if any(CATALOGUE_HEADING.match(line.text.strip()) for line in lines):
        return segment_catalogue(lines, source)
    months = sum(1 for line in lines if MONTH_HEADING.match(line.text))
    if TIMELINE_HEADING.search(lines[0].text) or months >= 2:
        return [segment_timeline(lines, source)]
    return []
