"""A document page in reading order: each heading shown once, where it opens."""

from __future__ import annotations

from dataclasses import dataclass, field

from search_api.http.page.reading import notes_apart, reading_order, table_of_contents


@dataclass
class Printed:
    """What reading_order reads of a passage."""

    id: str
    text: str
    path: list[str] = field(default_factory=list)
    kind: str = "chapter"


def test_a_footnote_of_a_closed_section_stays_where_it_is_printed() -> None:
    # B.7 二（一）: 注① of 3. is printed at the foot of the page 4. begins on; it had shown 3.
    # again in the text and the contents (1, 2, 3, 4, 3, 5).
    chapter = "某章"
    passages = [
        Printed("a", "正文一", [chapter, "一 总体", "1. 甲"]),
        Printed("b", "正文三", [chapter, "一 总体", "3. 丙"]),
        Printed("c", "正文四", [chapter, "一 总体", "4. 丁"]),
        Printed("n", "① 注释", [chapter, "一 总体", "3. 丙"]),
        Printed("d", "正文五", [chapter, "一 总体", "5. 戊"]),
        Printed("e", "正文一续", [chapter, "二 展望"]),
    ]
    entries = reading_order(passages, chapter)
    labels = [h.label for e in entries for h in e.headings]
    assert labels == ["一 总体", "1. 甲", "3. 丙", "4. 丁", "5. 戊", "二 展望"]
    assert [e.passage.id for e in entries] == ["a", "b", "c", "n", "d", "e"]  # nothing lost
    assert entries[3].headings == []
    contents = table_of_contents(entries)
    assert [n.label for n in contents[0].children] == ["1. 甲", "3. 丙", "4. 丁", "5. 戊"]


def test_footnotes_follow_the_text_and_give_up_no_heading() -> None:
    chapter = "某章"
    passages = [
        Printed("a", "正文一", [chapter, "一 总体"]),
        Printed("n1", "① 注一", [chapter, "一 总体"], "footnote"),
        Printed("b", "正文一续", [chapter, "一 总体"]),
        Printed("n2", "② 注二", [chapter, "二 展望"], "footnote"),  # opens 二 at a page foot
        Printed("c", "正文二", [chapter, "二 展望"]),
        Printed("n3", "③ 注三", [chapter, "三 结语"], "footnote"),  # the last section: notes only
    ]
    body, notes = notes_apart(reading_order(passages, chapter))
    assert [e.passage.id for e in body] == ["a", "b", "c"] and [e.passage.id for e in notes] == ["n1", "n2", "n3"]
    assert [h.label for e in body for h in e.headings] == ["一 总体", "二 展望"]
    assert [h.label for h in notes[0].headings] == ["三 结语"] and not notes[1].headings
    assert [n.label for n in table_of_contents([*body, *notes])] == ["一 总体", "二 展望", "三 结语"]
