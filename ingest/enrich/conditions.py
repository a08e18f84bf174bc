"""Eligibility conditions as data: the requirements each policy clause states, with spans.

An applicant asks "may I apply?"; the answer is in the clause's own words (年满十八周岁,
本科以上学历, 有下列情形之一的，不得担任…). :class:`ConditionExtractor` reads them into
``Passage.conditions`` (fields of :data:`knowledge.eligibility.FIELDS`, spans into
``Passage.text``), only what the text literally says:

* **Records** (:mod:`~ingest.enrich.condition_records`): an item under a lead-in that
  introduces requirements, else each paragraph (款) of a policy passage.
* **Who qualifies** (:mod:`~ingest.enrich.condition_clauses`): each sentence of a record is
  read for the regions that describe the applicant — what a requirement verb governs, the
  condition before a consequence, the beneficiary of an agent's measure, a definition, a
  pool of candidates; duties, sanctions and an authority's own conditions state none. A
  record of a clause typed neither ``condition`` nor ``benefit`` keeps its conditions only
  when one is structured.
* **Fields.** :class:`~ingest.enrich.condition_fields.FieldFinder` finds the structured ones
  in each region (a unit type only where it heads the region: 高等学校、科研机构的…人员,
  not 通过企业挂职); the rest of each comma-separated requirement becomes ``other`` with its
  verbatim text (:class:`~ingest.enrich.condition_leftovers.LeftoverReader`; a list item
  with nothing structured stays whole). An origin that names a class of talent (外籍人才)
  counts wherever the sentence names it.
* **Groups and negation.** Alternatives joined by 或者 form an any-of group ``gN`` (a branch
  ``gN/a`` when one alternative holds several requirements); items under 「下列条件之一」
  share ``x1`` (``x1/b`` for item 2's several requirements); a priority (优先, 重点从) is
  ``pref``. A requirement whose consequence is a refusal (不得/不予/不能 …) is ``negated``.
* **Once per article.** A beneficiary of a measure that the passage also states as a
  condition is dropped (为留学人员…提供服务 beside 留学人员…的，可以享受…); a certificate
  named by a short form the document defines (以下简称《许可证》) gets its full name.
"""

from __future__ import annotations

import re
from typing import Any

from analysis.text import normalize
from ingest.enrich.condition_alternatives import RegionJoins
from ingest.enrich.condition_clauses import ClauseReader, Region
from ingest.enrich.condition_fields import FieldFinder, Found
from ingest.enrich.condition_groups import (
    SentenceCases,
    branch_name,
    exclusive_ages,
    exclusive_origins,
    joined,
    listed_classes,
    name_groups,
    one_branched_group,
    parenthesised_cases,
)
from ingest.enrich.condition_leftovers import LeftoverReader
from ingest.enrich.condition_passes import (
    CLASS,
    deleted,
    drop_catch_alls,
    drop_restated,
    named,
    refused_subject,
    states_purpose,
    unique,
)
from ingest.enrich.condition_records import LETTERS, Record, RecordFinder, grant_follows, grant_words
from ingest.enrich.condition_scopes import AGE_FIELDS, make_condition, scoped
from ingest.enrich.condition_words import (
    absence,
    after_of,
    exception_of,
    has_any,
    longest_first,
    own_licence,
    unit_head,
    verb,
)
from ingest.model import ELIGIBLE_CLAUSE_TYPES, Document
from knowledge.condition_cues import NUMBER, alternation
from knowledge.eligibility import Vocabulary, vocabulary

_SENTENCE = re.compile(r"[^。;!?]+")
# Not read from a list's lead-in: its own words (公民担任人民陪审员) and the kind of unit
# it is about (保安服务公司应当具备下列条件) name the role the items qualify for.
_ROLE = ("other", "unit_type")
# Bounds that, before a noun of people, name a class of them (八十周岁以上老年人).
_CLASS_FIELDS = (
    *AGE_FIELDS,
    "education_min",
    "professional_title_min",
    "skill_level_min",
    "years_experience_min",
    "residence_or_employment",
)


class ConditionExtractor:
    """Sets ``Passage.conditions`` on a document's policy passages (build once, reuse)."""

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab or vocabulary()
        self.fields = FieldFinder(self.vocab)
        self.reader = ClauseReader(self.vocab.cues, tuple(self.vocab.aliases["unit_type"]))
        cues = self.vocab.cues
        talent = alternation(cues["talent_nouns"])
        # What may follow an origin that names a class of talent (外籍 + 人才).
        self._talent_tail = re.compile(r"[^,;:。、和或]{0,5}?(?:" + talent + ")")
        people = alternation(cues["class_nouns"])
        # What may follow a bound that names a class of people (八十周岁以上 + 老年人).
        self._class_tail = re.compile(r"(?:以上|以下)?的?[^,;:。、和或的]{0,4}?(?:" + people + ")")
        self._class_end = re.compile(r"(?:" + people + ")$")
        # A sentence naming no people names no class: its fields are not searched again.
        self._people = re.compile(people + "|" + talent)
        self._negation = longest_first(cues["negation"])
        self._preference = longest_first(cues["preference"])
        self.leftovers = LeftoverReader(self.vocab)  # the ``other`` requirements
        # A grant already made in a sentence: a word of two characters or more (可以, 给予),
        # or a limit lifted (可不受): 可 alone is also the end of 许可 and the start of 可靠.
        self._long_grants = tuple(w for w in grant_words(cues, refusing=False) if len(w) > 1)
        self._lifted = re.compile("可(?:" + alternation(cues["free_of"]) + ")")
        self._not_modal = tuple(cues["not_modal"])
        exempt = "|".join(map(re.escape, longest_first(cues["exemption"])))
        # …的，可以不受工作年限限制: a limit lifted for some, like an exemption.
        exempt += "|(?:" + "|".join(map(re.escape, cues["free_of"])) + r")[^,;:。]{0,24}?(?:"
        exempt += "|".join(map(re.escape, cues["limits"])) + ")"
        self._exemption = re.compile(r"[,;]?\s*(?:的)?[,]?\s*(?:可以|可|准予|予以)?\s*(?P<word>" + exempt + ")")
        self._alternative = longest_first(cues["alternative"])
        self._subset = longest_first(cues["subset_lead"])
        self._person_endings = cues["person_endings"]
        self._unstated_words = longest_first(cues["unstated"])
        self._joins = RegionJoins(cues)
        self._grants = grant_words(cues, refusing=False)
        self._cases = SentenceCases(cues, self._grants)

    # --- documents ----------------------------------------------------------------------

    def extract_document(self, document: Document) -> None:
        """Set ``conditions`` on every passage of ``document`` (non-policy: none)."""
        finder = RecordFinder(self.vocab.cues, self.reader.sanctioned)
        short_names = {normalize(a["short"]): a["full"] for a in document.meta.get("abbreviations") or []}
        for passage in document.passages:
            passage.conditions = []
            if passage.kind != "policy":
                continue
            text = normalize(passage.text)
            if states_purpose(text):  # 为了保障公民享有…，制定本法: why a text exists, not who qualifies
                continue
            records = [r for r in finder.records(passage, text) if not deleted(text, r.start, r.end)]
            found = [c for record in records for c in self.conditions(passage.text, text, record)]
            if passage.clause_type not in ELIGIBLE_CLAUSE_TYPES:
                # A unit a procedure, duty or general clause names acts there (机关…接收安置
                # …的，应当…; 企业…提出申请), it is not the applicant's employer.
                found = [c for c in found if c["field"] != "unit_type"]
            found = drop_catch_alls(found, self.vocab.cues["catch_alls"], self.vocab.cues["rule_words"])
            passage.conditions = named(drop_restated(found, passage), short_names)
            exclusive_ages(passage.conditions, text)
            exclusive_origins(passage.conditions, self.vocab.exclusive_origins, self.vocab.origin_is)
            parenthesised_cases(passage.conditions, text)
            name_groups(passage.conditions)

    # --- one record ---------------------------------------------------------------------

    def conditions(self, display: str, text: str, record: Record) -> list[dict[str, Any]]:
        """The conditions of one record: fields, then ``other``, with groups and negation."""
        out: list[dict[str, Any]] = []
        run: list[list[dict[str, Any]]] = []  # sentences joined by ；或者, and where they start
        run_start = record.start
        cases = False  # the run's sentences so far each grant on their own condition
        for sentence in _SENTENCE.finditer(text, record.start, record.end):
            here = self._sentence(display, text, sentence.start(), sentence.end(), record)
            case = self._cases.own_case(text, sentence.start(), sentence.end(), here)
            if run and (text[sentence.start() :].lstrip().startswith(self._alternative) or (cases and case)):
                run.append(here)
                continue
            out.extend(joined(run, run_start))
            run, run_start, cases = [here], sentence.start(), case
        out = scoped(display, text, unique([*out, *joined(run, run_start)]), record.start)
        if not record.full and all(c["field"] == "other" for c in out):
            return []
        group, branch = record.any_of, record.branch
        if record.line_group is not None:
            group, branch = record.line_group, LETTERS[int(record.line_group.rpartition("/")[2]) % 26]
            group = group.rpartition("/")[0]
        if group and not record.line_group and one_branched_group(out):
            # The item's own alternatives (女满四十周岁以上、男满五十周岁以上的) are each a
            # branch of the list's group: one group holds no group of its own.
            for condition in out:
                condition["group"] = f"{group}/{branch}{condition['group'].partition('/')[2]}"
        elif group:
            name = group if len(out) <= 1 else f"{group}/{branch}"
            for condition in out:
                condition["group"] = name if record.line_group else condition["group"] or name
        return out

    def _sentence(self, display: str, text: str, start: int, end: int, record: Record) -> list[dict[str, Any]]:
        """The conditions one sentence of a record states."""
        out: list[dict[str, Any]] = []
        regions = self.reader.read(text, start, end, record.item, record.negated)
        # 其中获得法学博士学位的，…年限可以放宽至三年: the sentence is about some applicants only.
        opening = start + len(text[start:end]) - len(text[start:end].lstrip(" ,;。"))
        later = start > record.start and self._cases.for_a_class(text, opening, end)
        subset = text[opening:end].startswith(self._subset) or later
        for region in regions:
            found = self._region(display, text, region, record.item)
            further = self._further_grant(text, region.start, region.end)
            if further is not None and not subset:
                # …可不受学历限制，…符合外国高端人才（A类）条件的，可办理5年以内的有效证件: the
                # last clause's condition, after grants made, is that further grant's only.
                found = [{**c, "group": c["group"] or SUBCATEGORY} if c["start"] >= further else c for c in found]
            # 本法所称医师，是指依法取得医师资格…: the profession's own licence is what the word means.
            found = [c for c in found if not _restates(c, region, self._person_endings)]
            found = [c for c in found if not (region.lead and c["field"] in _ROLE)]
            if subset:  # its alternatives too are the sub-category's
                found = [{**c, "group": SUBCATEGORY} for c in found]
            elif self._exempting(text, region.end, end):  # …的人员，可以免予部分科目的考试
                found = [{**c, "group": c["group"] or SUBCATEGORY} for c in found]
            out.extend({**c, "_weak": region.weak} for c in found)
        # 为登记失业人员、…大中专毕业生、…等自主创业人员提供…: one of the people listed.
        listed = [c for c in out if c["field"] in _CLASS_FIELDS and c["group"] is None]
        listed_classes(listed, text, start, end, SUBCATEGORY, self._person_endings)
        out.extend(self._categories(display, text, start, end, regions))
        out.extend(self.leftovers.preferred_people(display, text, start, end))
        tail = regions[-1].end if regions else start
        if tail < end:
            # An age cap may follow the consequence (可以延长…，但最长不超过六十五周岁);
            # without one, an age bound right before a grant is its condition (…景点，七十
            # 周岁以上免购门票，不满七十周岁半价购买门票).
            ages = self.fields.find(text, tail, end, AGE_FIELDS)
            if not regions:  # (not in a sanction: 因不满十六周岁不予刑事处罚的，责令…)
                sanctioned = self.reader.sanctioned(text[start:end])
                ages = [] if sanctioned else [f for f in ages if grant_follows(text, f.end, self._grants)]
            out.extend(make_condition(display, f.field, f.value, f.start, f.end) for f in ages)
        return out

    def _further_grant(self, text: str, start: int, end: int) -> int | None:
        """Where the last clause of the region ``text[start:end]`` starts when it is the
        condition of a grant of its own (…的，) after a clause that grants already (可不受…
        限制, 可以…, 给予…; not 许可证 nor 可靠): its conditions are that grant's only."""
        body = text[start:end].rstrip(",， ")
        last = max(body.rfind(","), body.rfind("，"))
        if last < 0 or not body.endswith("的"):
            return None
        head = body[:last]
        if verb(self._long_grants, head, self._not_modal) is None and not self._lifted.search(head):
            return None
        return start + last + 1

    def _exempting(self, text: str, at: int, end: int) -> bool:
        """Whether the consequence after ``at`` exempts (…的，可以免予考试): its condition is
        what a sub-category of applicants is spared by, not what every applicant needs."""
        found = self._exemption.match(text, at, end)
        return found is not None and found.start("word") - at <= EXEMPTION_WINDOW

    def _categories(self, display: str, text: str, start: int, end: int, regions: list[Region]) -> list[dict[str, Any]]:
        """Classes of people a clause names outside its requirement regions: origins of
        talent (外籍人才, 港澳台人才) and people of an age, a schooling, a title, a skill,
        years of service or a residence (八十周岁以上老年人, 十八周岁以上的村民, 高等学校
        毕业生, 具有本省户籍的…老年人): a policy that names such a class addresses it
        wherever it does, unless it protects (不得…) or punishes them."""
        out: list[dict[str, Any]] = []
        if self._people.search(text, start, end) is None:
            return out
        classes: set[int] = set()  # where the bounds found to name a class start
        # From the last: a bound before another one that names a class names it too
        # (具有本省户籍的 + 八十周岁以上老年人).
        for found in reversed(self.fields.find(text, start, end, ("origin", *_CLASS_FIELDS))):
            if any(r.start <= found.start < r.end for r in regions):
                continue
            tail = self._talent_tail if found.field == "origin" else self._class_tail
            if found.field != "origin" and (
                has_any(text[start : found.start], self._negation) or self.reader.sanctioned(text[start:end])
            ):
                continue  # 不得摘取未满18周岁公民的…: those named are protected; …的，由…责令改正: punished
            # A bound's match may name the people itself (高等学校毕业生).
            named = found.field != "origin" and self._class_end.search(text[found.start : found.end])
            chained = found.field != "origin" and after_of(text, found.end) in classes
            if named or chained or tail.match(text[found.end : found.end + 12]) is not None:
                classes.add(found.start)
                weak = True if found.field == "origin" else CLASS
                out.append({**make_condition(display, found.field, found.value, found.start, found.end), "_weak": weak})
        of_classes = [c for c in out if c["_weak"] == CLASS]
        listed_classes(of_classes, text, start, end, SUBCATEGORY, self.vocab.cues["person_endings"])
        return [*out[::-1], *self._unstated(display, text, start, out)]

    def _unstated(self, display: str, text: str, start: int, named: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """鼓励具备条件的 | 高等学校毕业生…: conditions the clause does not state, before a class
        it names; an ``other`` requirement beside the class, so that no one meets it unseen."""
        out: list[dict[str, Any]] = []
        for found in named:
            before = text[start : found["start"]]
            word = next((w for w in self._unstated_words if before.endswith(w)), None)
            if word is not None and not before[: -len(word)].endswith("不"):  # 不具备条件的: no such words
                at = found["start"] - len(word)
                other = make_condition(display, "other", None, at, found["start"] - 1)
                out.append({**other, "group": found["group"], "_weak": found["_weak"]})
        return out

    def _region(self, display: str, text: str, region: Region, in_item: bool = False) -> list[dict[str, Any]]:
        """Fields and ``other`` requirements of a region, alternatives grouped; in a list
        item (``in_item``), a requirement with nothing structured stays whole."""
        start, end, negated = region.start, region.end, region.negated
        pref = has_any(text[start:end], self._preference)
        everything = self.fields.find(text, start, end)
        alternatives = self._joins.alternatives(text, start, end, everything)
        tail = self._joins.shared_tail(text, start, alternatives)
        shared: list[dict[str, Any]] = []
        if tail is not None:  # 取得A或者B，并从事…: the years belong to every alternative
            alternatives[-1] = (alternatives[-1][0], tail)
            shared = self._span(display, text, tail, end, everything, False)
        head = self._joins.shared_head(text, alternatives)
        common: list[dict[str, Any]] = []  # required beside whichever alternative, once
        if head is not None:  # 具备…学历，并具有A或者B: the degree, and either of the two
            common = self._span(display, text, alternatives[0][0], head, everything, False)
            alternatives[0] = (head + 1, alternatives[0][1])
        whole = in_item and len(alternatives) == 1
        parts: list[tuple[list[dict[str, Any]], int | None]] = [(common, None)]
        for number, (a, b) in enumerate(alternatives):
            parts.append((self._span(display, text, a, b, everything, whole) + [dict(c) for c in shared], number))
        out: list[dict[str, Any]] = []
        for items, index in parts:
            kept: list[dict[str, Any]] = []
            for item in items:
                # …留学生…及其家属除外: who is left out, not who qualifies; …的除外: who is spared.
                exception = exception_of(text, item["start"], self.vocab.cues["exception"])
                outside = exception == "left_out"
                if outside and item["field"] == "other":
                    continue
                # An absence (尚未取得执业医师资格) is a requirement not to hold it; under a
                # refusal (未取得…证书的，不得…) it is one to hold it.
                absent = absence(text, item["start"], self.vocab.cues["absence"])
                stated = negated != absent if item["field"] != "other" else negated and not absent
                item["negated"] = stated != outside
                if pref:
                    item["group"] = "pref"
                elif exception == "spared":
                    item["group"] = SUBCATEGORY
                elif index is not None and len(alternatives) > 1:  # numbered per passage by name_groups
                    item["group"] = branch_name(start, index, len(items))
                kept.append(item)
            out.extend(kept)
        if negated:  # …被剥夺政治权利的公民，不得服兵役: 公民 is who is refused, not what
            out = [c for c in out if not refused_subject(c, text, start, end)]
        return out

    def _span(
        self, display: str, text: str, a: int, b: int, everything: list[Found], whole: bool
    ) -> list[dict[str, Any]]:
        """The conditions of ``text[a:b]``: its fields, then the rest as ``other``."""
        found = self._years_once(unit_head([f for f in everything if a <= f.start < b], text, a), text)
        items = [make_condition(display, f.field, f.value, f.start, f.end) for f in found]
        # 取得驾驶证3年以上: the certificate, and how long it is held (no leftover of its own).
        held = [(f.start, m.end()) for f in found if f.field == "certificates" and (m := _HELD_FOR.match(text, f.end))]
        others = self.leftovers.others(display, text, a, b, found, whole=whole)
        items += [c for c in others if not any(s <= c["start"] < e for s, e in held)]
        items += [make_condition(display, "other", None, s, e) for s, e in held]
        return sorted(items, key=lambda c: (c["start"], c["end"]))

    def _years_once(self, found: list[Found], text: str) -> list[Found]:
        """A second duration in one requirement (…经历并…实习一年以上) is ``other``; one
        after a comma is a requirement of its own (…律师应当实际执业不少于五年，…研究
        人员应当…从事教学、研究工作五年以上)."""
        last: Found | None = None
        for item in found:
            if item.field == "years_experience_min":
                between = text[last.end : item.start] if last is not None else ","  # 四年、三年: in turn
                if "," not in between and between != "、":
                    item.field, item.value = "other", None
                    continue
                last = item
        return found


# A duration right after a certificate (取得驾驶证3年以上, 持有…证书满二年; not a year,
# 持有…证书2020年以前取得的).
_HELD_FOR = re.compile(rf"(?:已)?(?:满(?:{NUMBER})年(?:以上)?|(?:{NUMBER})年以上)")


# A condition whose consequence spares its sub-category something (免予部分科目的考试):
# the group the verdicts leave out of eligibility (search.verdicts.IGNORED_GROUPS).
SUBCATEGORY = "sub"


EXEMPTION_WINDOW = 8  # characters after a condition in which its consequence exempts


def _restates(condition: dict[str, Any], region: Region, endings: tuple[str, ...]) -> bool:
    """Whether a condition only restates its region's subject: the defined profession's
    own licence (本法所称医师，是指依法取得医师资格…; 导游人员…取得导游证), or the person a
    described scope names (已取得教师资格的公民拟…的，应当…: the law's 公民, not a requirement)."""
    if region.term and condition["field"] == "certificates":
        return own_licence(region.term, condition["span"], endings)
    return region.scope and condition["field"] == "origin"
