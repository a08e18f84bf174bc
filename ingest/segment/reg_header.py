"""The header of a law / regulation: title, adopting body and its dated events.

Headers look like (one event a line, or all in one parenthesised line)::

    北京市种子条例
    2022年1月10日 北京市第十五届人民代表大会第五次会议通过
    （2004年6月18日北京市第十二届人民代表大会常务委员会第十二次会议通过　根据2010年
     12月23日…《关于修改部分地方性法规的决定》修正）
    2012年11月9日 《国务院关于修改和废止部分行政法规的决定》第一次修订
    ２０１３年１月１日 施行

The header is split at each date; each piece's event is the keyword it contains once the
quoted titles 《…》 are removed (a 修改决定's own title often says 修改 / 修订). A body is the
text before the event keyword with its 第N届 / 第N次会议 / 令第N号 parts removed, so the
adopting body of "北京市第十二届人民代表大会常务委员会第十二次会议通过" is
"北京市人民代表大会常务委员会".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from analysis.dates import DATE, YEAR, match_iso
from analysis.numerals import FULLWIDTH_DIGITS
from analysis.text import CODE_PART, HAN
from ingest.model import SourceLine
from knowledge.docnum import find_doc_numbers

# Strongest first: a piece saying "会议修订通过" records a revision, "批准的…决定修正" an amendment.
EVENTS = ("修订", "修正", "施行", "公布", "发布", "批准", "通过")
_EVENT = re.compile("|".join(EVENTS))
_EFFECTIVE = re.compile(r"自\s*(\S{6,16}?日)\s*起\s*(?:施行|实施|执行|生效)")
_QUOTED = re.compile(r"《[^》]*》|〈[^〉]*〉|<[^>]*>|＜[^＞]*＞")
_NUMERAL = r"[0-9零〇一二三四五六七八九十百]+"
_BODY_NOISE = re.compile(
    rf"第?{_NUMERAL}届"  # 第十二届 / 九届 (the term of a congress)
    rf"|第?{_NUMERAL}次.*$"  # 第十二次会议…, 第50次常务会议…, 五次
    rf"|{YEAR}年(?=第)"  # 2021年第20次室务会议: the year of the count
    r"|印发.*$"  # 1994年10月27日 印发: the act, no body
    rf"|令?第{_NUMERAL}号.*$"  # 国务院令第183号, 公告第8号
    r"|公告.*$|[(（].*?[)）]"
    r"|以\S*?号\S*?(?:通知|文件).*$"  # 最高人民法院以法发〔1993〕15号通知印发: the act's vehicle
    r"|关于.*$"  # …常务委员会关于批准…的决定: what the body decided
    # …会议…, and 第四会议 where a header lost its 次 (常务委员会第四会议通过)
    rf"|(?:第{_NUMERAL})?(?:总理|部长|主任|局长|署长)?(?:办公|常务|局务|部务|委务|署务|行务|全体)?会议.*$"
)
# What a body's name ends with: a piece ending otherwise names none (2019年10月1日 起生效,
# 《…的决定》修改: the event, the act).
_BODY_END = re.compile(r"(?:委员会|政府|国务院|法院|检察院|部|局|署|厅|办公室|中央|委|院|行|会|主席|办)$")
_BODY_PREFIX = re.compile(r"^(?:根据|经|由|自)")
_NATIONAL = "中华人民共和国"
# Short forms some headers use, so that one body has one name.
_ABBREVIATIONS = (("人大常委会", "人民代表大会常务委员会"), ("人大", "人民代表大会"))
# A people's congress and its standing committee, as a header names them; a source's slip
# of one character (人民代表会, 常务员会, 常委员会, 常务委员会会) is that name.
_CONGRESS = re.compile(r"(?<=人民代表)[^人]{1,9}$")
_CONGRESS_BODIES = ("大会常务委员会", "大会")
# A body named by its level alone (市人民代表大会常务委员会, 省人民政府): its place is elsewhere.
_LEVEL_ONLY = re.compile(r"^(?:自治区|自治州|省|市|县|区)(?=人民|人大)")
MAX_HEADER_LINES = 20
MAX_TITLE_LINE = 40
MAX_TITLE_REPEAT = 3  # lines of a title repeated / wrapped under the first line
_STRUCTURE = re.compile(r"^第[0-9零〇一二三四五六七八九十百千]+[条章节编]")
BARE_DATE_EVENT = "发布"  # a date standing alone under the title is the promulgation date
EFFECTIVE_EVENT = "施行"  # when a version takes effect: no version of its own


def parse_regulation_header(lines: list[SourceLine] | list[str]) -> dict[str, Any]:
    """Title, 文号, adopting body, all bodies named and dated events of a regulation's header.

    Returns ``{"title": str | None, "part": str | None (合同编 under 中华人民共和国民法典),
    "doc_number": str | None, "lines": [str], "agency": str | None,
    "agencies": [str], "dates": [{"event": "通过" | "修正" | "修订" | "施行" | "公布" |
    "发布" | "批准", "date": "YYYY-MM-DD", "agency": str (when named)}]}``. ``agency`` is
    the issuing bodies, joined by "、" (of every 通过, else of every 发布 / 公布 / 印发, and of
    every 修订 / 修正; else of the first event naming one: not the 国务院 that only 批准); ``agencies``
    every body named, split at "、"; ``lines`` the dated header lines read. A date standing
    alone counts as 发布. When the header has no 施行 date, the body's "自…起施行" is added
    as ``{"event": "施行", "date": …, "source": "body"}``; pass the whole text to get it.
    """
    texts = [_text(line) for line in lines]
    texts = [text for text in texts if text]
    title: str | None = None
    if texts and not DATE.search(texts[0].translate(FULLWIDTH_DIGITS)):
        title = texts.pop(0)
    header, doc_number = _header_lines(texts)
    # A part of a code on the line under its title (中华人民共和国民法典 / 合同编).
    part = next((text for text in texts[:MAX_TITLE_REPEAT] if CODE_PART.fullmatch(text)), None) if title else None
    dates = _events(" ".join(header))
    if not any(event["event"] == EFFECTIVE_EVENT for event in dates):
        dates += _effective_dates(texts)
    _qualify_bodies(dates, title)
    bodies = [event["agency"] for event in dates if event.get("agency")]
    return {
        "title": title,
        "part": part,
        "doc_number": doc_number,
        "lines": header,
        "agency": _issuers(dates) or (bodies[0] if bodies else None),
        "agencies": _distinct(part for body in bodies for part in body.split("、")),
        "dates": dates,
    }


def _text(line: SourceLine | str) -> str:
    """Callers pass SourceLines or plain strings."""
    return (line.text if isinstance(line, SourceLine) else line).strip()


def _header_lines(texts: list[str]) -> tuple[list[str], str | None]:
    """The dated lines right after the title (and a 文号 line among them)."""
    header: list[str] = []
    doc_number: str | None = None
    open_paren = False
    title_lines = 0
    for text in texts[:MAX_HEADER_LINES]:
        normalised = text.translate(FULLWIDTH_DIGITS)
        if _STRUCTURE.match(normalised):
            break  # the body has begun: 第一章 / 第一条
        if _is_prose(normalised):
            break  # "根据…，自1997年7月1日起，…：" holds a date but is not a header line
        dated = DATE.search(normalised)
        if not dated and len(normalised) < 40 and find_doc_numbers(normalised):
            doc_number = doc_number or normalised
            continue
        if not (dated or open_paren):
            if not header and title_lines < MAX_TITLE_REPEAT and _is_title_line(normalised):
                title_lines += 1
                continue  # the title again, wrapped: "中华人民共和国各级人民代表大会" / "常务委员会监督法"
            break
        header.append(normalised)
        open_paren = _unclosed(normalised) or (open_paren and not normalised.endswith(("）", ")")))
    return header, doc_number


def _unclosed(text: str) -> bool:
    """True for "（2004年…通过　根据": a parenthesis the next line closes."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _is_prose(text: str) -> bool:
    """A sentence, not a header line: header lines start with their date."""
    starts_dated = DATE.match(text.lstrip("（(　 根据"))
    return not starts_dated and ("。" in text or text.endswith(("：", ":")))


def _is_title_line(text: str) -> bool:
    """A short line without punctuation: a (wrapped) title repeated under the first line."""
    return len(text) <= MAX_TITLE_LINE and not any(ch in "。；;：:，," for ch in text)


def _events(header: str) -> list[dict[str, str]]:
    """Split the header at each date; name each piece's event and body."""
    matches = list(DATE.finditer(header))
    pieces: list[tuple[str, str]] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(header)
        iso = match_iso(match)
        if iso:
            pieces.append((iso, header[match.end() : end]))
    events: list[dict[str, str]] = []
    pending: list[dict[str, str]] = []  # pieces naming no event take the next piece's one
    for iso, piece in pieces:
        plain = _QUOTED.sub("", piece)
        found = [event for event in EVENTS if event in plain]
        record = {"event": found[0] if found else "", "date": iso}
        body = _body(plain)
        if record["event"] in REVISIONS and (body is None or APPROVAL in plain):
            # …会议批准的《X关于修改…的决定》修正: X revised it; the body before 批准 approved.
            body = _decision_body(piece)
        if body:
            record["agency"] = body
        if not found:
            pending.append(record)
            continue
        for waiting in pending:
            waiting["event"] = record["event"]
        events.extend([*pending, record])
        pending = []
    # Trailing pieces naming no event: "1985年12月30日" alone under the title.
    return events + [dict(record, event=BARE_DATE_EVENT) for record in pending]


def _effective_dates(texts: list[str]) -> list[dict[str, str]]:
    """The final article's "本条例自2013年2月1日起施行" when the header has no 施行 date."""
    for text in texts:
        if EFFECTIVE_EVENT not in text:
            continue
        match = _EFFECTIVE.search(text.translate(FULLWIDTH_DIGITS))
        if match:
            date = DATE.match(match.group(1))
            iso = match_iso(date) if date else None
            if iso:
                return [{"event": EFFECTIVE_EVENT, "date": iso, "source": "body"}]
    return []


# Who issues a text, by the event its header names them for: the body that adopts it, else
# the one that promulgates it (1957年9月7日 国务院批准 / 1957年10月11日 交通部发布: 交通部).
_ISSUING_EVENTS = (("通过",), ("发布", "公布", "印发"))
REVISIONS = ("修订", "修正")  # events whose body issued the version a text holds
APPROVAL = "批准"
# The body of a revision made by a decision the header quotes (2024年11月10日 《国务院关于
# 修改〈全国年节及纪念日放假办法〉的决定》第四次修订): the decision's issuer.
_DECISION = re.compile(r"《([^《》〈]{2,40}?)关于[^》]*?(?:修改|修订|修正)")


def _decision_body(piece: str) -> str | None:
    match = _DECISION.search(piece)
    return _body(match.group(1)) if match else None


def _issuers(dates: list[dict[str, str]]) -> str | None:
    """Who issued the version a text holds, joined by "、": every body of the likeliest
    issuing kind (see _ISSUING_EVENTS; a 司法解释 adopted by 最高人民法院's and 最高人民检察院's
    committees is both's), then every body that revised or amended it since (监察法 2024:
    全国人民代表大会, then its standing committee; 放假办法: 政务院, then 国务院)."""
    issued: list[str] = []
    for kinds in _ISSUING_EVENTS:
        issued = [e["agency"] for e in dates if e["event"] in kinds and e.get("agency")]
        if issued:
            break
    revised = [e["agency"] for e in dates if e["event"] in REVISIONS and e.get("agency")]
    return "、".join(_distinct(part for body in issued + revised for part in body.split("、"))) or None


def _body(piece: str) -> str | None:
    """The body a piece names.

    "北京市第十二届人民代表大会常务委员会第十二次会议通过" -> "北京市人民代表大会常务委员会".
    """
    text = piece.strip(" \u3000\t，,、；;：:（）()")
    text = _BODY_PREFIX.sub("", text)
    keyword = _EVENT.search(text)
    if keyword:
        text = text[: keyword.start()]
    text = _BODY_NOISE.sub("", text).strip(" \u3000\t，,、；;的").rstrip("和及与")
    for short, full in _ABBREVIATIONS:
        text = text.replace(short, full)
    text = _congress(text)
    if text.startswith(_NATIONAL) and len(text) > len(_NATIONAL) + 1:
        text = text[len(_NATIONAL) :]  # 中华人民共和国国务院 -> 国务院
    if len(text) < 2 or not re.search(f"[{HAN}]", text) or not _BODY_END.search(text) or text[0] in "我本":
        return None  # no body's name; or 我院, 本会: the text's own body, named where it says who it is
    return text


def _congress(text: str) -> str:
    """``text`` with a congress's name one slip away from its spelling spelt right
    (临沂市人民代表会 → 临沂市人民代表大会): a facet value of its own would hide the
    document from a filter by the body."""
    tail = _CONGRESS.search(text)
    if tail is None or tail.group() in _CONGRESS_BODIES:
        return text
    for body in _CONGRESS_BODIES:
        if _one_slip(tail.group(), body):
            return text[: tail.start()] + body
    return text


def _one_slip(typed: str, meant: str) -> bool:
    """Whether ``typed`` is ``meant`` with one character missing, added or changed."""
    if abs(len(typed) - len(meant)) > 1:
        return False
    if len(typed) == len(meant):
        return sum(a != b for a, b in zip(typed, meant, strict=True)) == 1
    short, long = sorted((typed, meant), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _qualify_bodies(dates: list[dict[str, str]], title: str | None) -> None:
    """Name the place of a body the header calls by its level alone.

    A city's header says "市十二届人大常委会第二十一次会议通过" and, lines below, "杭州市人民代表
    大会常务委员会第36号公布": the bare 市人民代表大会常务委员会 is that fuller name of the same
    body, else the place the title opens with (杭州市民用建筑节能条例 → 杭州市), else left as it
    is. As a facet value the bare name would merge every city's congress into one.
    """
    named = [event["agency"] for event in dates if event.get("agency")]
    for event in dates:
        body = event.get("agency", "")
        level = _LEVEL_ONLY.match(body)
        if level is None:
            continue
        fuller = next((other for other in named if other.endswith(body) and len(other) > len(body)), None)
        place = re.match(rf"[{HAN}]{{2,8}}?{level.group(0)}", title or "")
        if fuller is not None:
            event["agency"] = fuller
        elif place is not None:
            event["agency"] = place.group(0) + body[level.end() :]


def _distinct(items: Iterable[str]) -> list[str]:
    """Non-trivial items, first occurrence order."""
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip()
        if len(item) >= 2:
            seen.setdefault(item)
    return list(seen)


def version_date(dates: list[dict[str, str]], effective: bool = True) -> str | None:
    """The date of the version a text holds: the latest date its header adopts, amends,
    revises, approves or promulgates it (2018-12-29 for a law adopted in 1994 and amended
    since), so that two versions of one regulation are told apart; the effective date
    only when the header names nothing else (and ``effective``), and None without dates."""
    versions = [event["date"] for event in dates if event["event"] != EFFECTIVE_EVENT]
    if versions:
        return max(versions)
    return dates[0]["date"] if dates and effective else None
