"""A text that holds one policy or regulation → one policy Document.

The title is the text's first line; header lines (adopting body, 通过/修正/施行 dates,
a 文号) are read by :func:`parse_regulation_header`; the body is split into 章/条/款/项
or numbered items by :class:`ClauseSplitter`.
"""

from __future__ import annotations

import re

from analysis.dates import ISO_LIKE, match_iso
from analysis.text import with_part
from ingest.model import Document, SourceLine

# A date in brackets in a file's name: archives name a version so (保护海底电缆规定(1973-05-30).txt).
_NAME_DATE = re.compile(rf"[(（]\s*{ISO_LIKE.pattern}\s*[)）]")


def file_name_date(source: str) -> str | None:
    """The date in brackets in the last part of ``source``, when it is a real day."""
    found = _NAME_DATE.search(source.replace("\\", "/").rsplit("/", 1)[-1])
    return match_iso(found) if found else None


def policy_document_from_text(text: str, source: str) -> Document | None:
    """The policy in ``text``, or None when it has no non-blank line."""
    from ingest.clean import PdfTextCleaner
    from ingest.segment.clauses import ClauseSplitter, parse_regulation_header
    from ingest.segment.reg_header import version_date
    from knowledge.docnum import find_doc_numbers, parse_doc_number

    lines = PdfTextCleaner().clean(text)
    content = [line for line in lines if line.text.strip()]
    if not content:
        return None
    title = content[0].text.strip()
    body: list[SourceLine] = content[1:] or content
    header = parse_regulation_header(content)
    meta: dict[str, object] = {"header_dates": header.get("dates", [])}
    # The later of the header's version date and the file's name, which archives give the
    # version's promulgation: a header may stop before the revision its text holds (物业管理条例
    # (2018-03-19).txt lists revisions up to 2016; 全国年节及纪念日放假办法(2013-12-11).txt up
    # to 2007, with 2013's 春节 days), and a name may keep an older version's date over a
    # header naming a later one. The effective date last, as an official's 年份 is the year
    # a text was issued (网络数据安全管理条例, 2024-09-24, 施行 2025-01-01 by its last article).
    dates = header.get("dates") or []
    named = [found for found in (version_date(dates, effective=False), file_name_date(source)) if found]
    date = max(named) if named else version_date(dates)
    if date:
        meta["date"] = date
    if header.get("agency"):
        meta["agencies_raw"] = header["agency"].split("、")  # 中共中央、国务院发布: both
    # Its own 文号 stands alone on a line under the title (法释〔2025〕1号), or in a dated
    # header line in brackets (…以法发〔1993〕15号通知印发）); never in the preamble's prose,
    # which cites the numbers of other documents (对…的解释（法释〔2008〕5号）作如下修改).
    alone = (number for line in content[1:6] if (number := parse_doc_number(line.text)) is not None)
    dated = (line for line in header.get("lines", []) if line.endswith(("）", ")")))
    numbers = [*alone, *find_doc_numbers("\n".join(dated))]
    if numbers:
        meta["doc_number"] = numbers[0].normal
    shown = header.get("title") or title
    if header.get("part"):  # 中华人民共和国民法典（合同编）: each part of the code is a text of its own
        shown = with_part(shown, header["part"])
    document = Document(kind="policy", title=shown, key=title, source=source, meta=meta)
    document.passages = ClauseSplitter().split(body)
    return document
