"""Which part of a sentence says who qualifies: the reading of one clause's structure.

A policy sentence names its applicant in a few recurring shapes, read here from the
text's own markers (the cue lists of ``knowledge/data/eligibility.json``) and never from
a document's wording:

* **a requirement verb**: 申请人应当具备…, 主办单位必须是… — what follows is required, and
  so is a conditional subject before it (…晋升为副高级技术职称的，应当有…);
* **a condition and its consequence**: 取得教师资格的公民，可以… / …的，不予注册 — the
  clause before the consequence (a refusal makes it a disqualifier);
* **an agent and its beneficiary**: 县级以上人民政府应当对…给予支持, 支持…企业在京设立…,
  为省外人才到本省工作创造条件 — what follows 对/为/支持 … at the head of a clause
  (:mod:`~ingest.enrich.condition_agents`);
* **a definition** (技能大师是指…) and **a pool of candidates** (在…的公证员中推选产生).

A sentence whose consequence is a penalty (由…责令改正, 吊销…) or a duty of someone who is
not described by a condition (…停留居留，应当随身携带…) states no requirement.
:mod:`ingest.enrich.conditions` turns the regions into conditions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.enrich import condition_words as scan
from ingest.enrich.condition_agents import AgentReader
from ingest.enrich.condition_words import has_any, longest_first
from knowledge.condition_cues import CueWords, alternation

# What is given to those a clause describes, 其 referring back to them (发给其工资, 与其签订
# …合同), not 其他, 其中, nor a procedure done for them (为其办理住宿登记).
_BACK = re.compile("(?:发给|给予|发放|支付|与)其(?![他它中余次实])")


@dataclass(frozen=True)
class Region:
    """A span of the normalised text that states requirements.

    ``weak`` marks the beneficiary of an agent's measure (…应当为留学人员…提供服务): a
    requirement an article also states as a condition is kept there, not here."""

    start: int
    end: int
    negated: bool = False
    weak: bool = False
    term: str = ""  # the term a definition defines (本法所称医师，是指…)
    scope: bool = False  # the described subject before a requirement verb
    lead: bool = False  # a list lead-in's subject, a document shown (凭…): only its structured fields count


class ClauseReader:
    """Reads the requirement regions of one sentence (build once from the cue lists)."""

    def __init__(self, cues: CueWords, units: tuple[str, ...] = ()) -> None:
        self.agents = AgentReader(cues, units)  # authorities acting, and whom they act for
        self._discretion = longest_first(cues["discretion"])
        self._negation = longest_first(cues["negation"])
        # A negation not followed by a bound (不得超过 of 试用期不得超过一个月 bounds an amount).
        self._refusal = re.compile(f"(?:{alternation(cues['negation'])})(?!{alternation(cues['bounds'])})")
        self._list_lead = longest_first(cues["list_lead"])
        self._qualification_lead = longest_first(cues["qualification_lead"])
        self._requirement = longest_first(cues["requirement_verbs"])
        self._not_modal = longest_first(cues["not_modal"])
        self._sanction = longest_first(cues["sanction"])
        self._acts = longest_first(cues["authority_acts"])
        self._powers = longest_first(cues["powers"])
        self._duty = longest_first(cues["duty"])
        self._application = longest_first(cues["application"])
        self._grant = longest_first(cues["grant"])
        self._applicants = longest_first(cues["applicant_nouns"])
        self._acts_asked = longest_first((*cues["procedural"], *cues["applicant_duties"]))
        self._credential = longest_first(cues["credential_verbs"])
        self._definition = longest_first(cues["definition"])
        self._universal = longest_first(cues["universal"])
        long_verbs = [w for w in cues["benefit_verbs"] if len(w) > 1 and w not in self._acts]
        short_verbs = [w for w in cues["benefit_verbs"] if len(w) == 1 or w in self._acts]
        # A one-character verb (可, 由, 经) or an authority's act (签发, 颁发) starts the
        # consequence only after a comma (外国政府对中国公民签发签证…的 is a condition).
        # Nor does a verb that is the end of another word (许可办理 holds no 可办理).
        self._consequence = re.compile(
            "|".join(
                [
                    *(scan.unprefixed(w, self._not_modal) for w in sorted(long_verbs, key=len, reverse=True)),
                    *(f"(?<=,){re.escape(w)}" for w in short_verbs),
                ]
            )
        )
        pool = alternation(cues["pool"])
        self._pool = re.compile(rf"(?:在|从)([^,;。]{{2,80}}?)中(?:{pool})")
        # A described subject: …的 / …者 / …时, or …的 and a person (…的外国人, …的护士), and
        # one that ends so (…的儿童, …的中华人民共和国公民).
        persons = alternation(cues["person_endings"])
        self._described_person = re.compile(rf"的[^,的]{{0,10}}(?:{persons})$")
        self._conditional_end = re.compile(rf"(?:的(?:[^,的]{{0,5}}(?:{persons}))?|者|时)$")
        # A duty to obtain or hold something, after an optional 依法 / 依照…规定, and the
        # holder a duty names (应当由…担任).
        licence = alternation(cues["licence_verbs"])
        holder = alternation(cues["holder_verbs"])
        basis = alternation(cues["discretion"])
        self._licence = re.compile(rf"(?:依法|(?:{basis})[^,;。]{{0,30}}?规定)?(?=(?:{licence}))")
        self._holder = re.compile(rf"由([^,;。]{{2,40}}?)(?:{holder})")
        called = alternation(cues["defined_term"])
        self._called = re.compile(rf"[^,;。]{{0,20}}?(?:{called})的?([^,;。]{{1,12}}),")

    def read(self, text: str, start: int, end: int, item: bool = False, negated: bool = False) -> list[Region]:
        """The requirement regions of the sentence ``text[start:end]``; an ``item`` of a list is
        a requirement as a whole (or after its requirement verb); else 凡's subject, or a prerequisite."""
        regions = self._read(text, start, end, item, negated)
        if regions or item:
            return regions
        every = self._universal_subject(text, start, end)
        if every is None and (first := scan.prerequisite(text[start:end], self._duty, self._not_modal)):
            every = Region(start + first[0], start + first[1])  # nothing else read: …应当…取得…后，方可…
        return [every] if every is not None else []

    def _universal_subject(self, text: str, start: int, end: int) -> Region | None:
        """The subject of a sentence that opens with 凡 (凡年满六周岁的儿童，其父母…应当送其
        入学): everyone it describes is who the clause is about, whatever its consequence
        binds; up to the first comma, note (（以下称…）) or duty verb, and only a described
        one (…的儿童)."""
        body = text[start:end].lstrip()
        opener = next((w for w in self._universal if body.startswith(w)), None)
        if opener is None or self.sanctioned(body) or has_any(body, self._negation):
            return None
        at = end - len(body) + len(opener)
        clause = text[at : scan.next_head(text, at, end)].split("(", 1)[0]
        verb = scan.verb(self._duty, clause, self._not_modal)
        subject = clause[: verb[0]].rstrip("都均") if verb else clause  # 凡…的公民，都应当…
        if self._described_person.search(subject) is None:
            return None  # 凡通过…的扩大招生…等途径: a means, not someone described
        return Region(at, at + len(subject))

    def _read(self, text: str, start: int, end: int, item: bool, negated: bool) -> list[Region]:
        sentence = text[start:end]
        verb = scan.verb(self._requirement, sentence, self._not_modal)
        if item:
            return [Region(start + verb[1] if verb else start, end, negated)]
        found = self._find_consequence(sentence)
        consequence = sentence[found.start() :] if found is not None else sentence
        if self.sanctioned(consequence):
            return []
        if has_any(sentence, self._list_lead) and sentence.rstrip().endswith(":"):
            return self._lead_subject(start, sentence)
        pool = self._pool.search(sentence)
        if pool is not None:
            return [Region(start + pool.start(1), start + pool.end(1))]
        if verb is not None:
            if self.agents.agent_end(text, start, start + verb[0], at_end=True) is not None:
                return []  # 县级以上人民政府应当通过…等形式: an authority's means, no applicant's
            return [*self._scope(text, start, start + verb[0]), Region(start + verb[1], end)]
        definition = scan.first(self._definition, sentence)
        if definition is not None:
            term = sentence[: definition[0]].rstrip(", ")
            return [Region(start + definition[1], end, term=term[term.rfind("所称") + 1 :].lstrip("称"))]
        called = self._called.match(sentence) if found is None else None
        if called is not None:  # 本条例所称的青年，其年龄在…: a definition without 是指
            return [Region(start + called.end(), end, term=called.group(1))]
        applicant = self._applicant_state(text, start, end, found)
        if applicant is not None:
            return [applicant]
        outcome = scan.OUTCOME.search(sentence)
        if found is None and outcome is not None and self._conditional_end.search(sentence[: outcome.start()]):
            # （一）工作满二十四年的：一级消防长: who gets the outcome after the colon.
            return [Region(start, start + outcome.start(), negated)]
        if found is None or found.group() in self.agents.markers:
            return self._beneficiaries(text, start, end, start, False)
        return self._conditional(text, start, end, found)

    def _applicant_state(self, text: str, start: int, end: int, found: re.Match[str] | None) -> Region | None:
        """What a sentence whose subject is who applies says they are or have (申请人应当
        年满十八周岁, 申报人年龄不超过45周岁): the rest of the sentence, after the subject.
        Not a duty to act (申请人应当提交…, 应当向…提出申请) nor a sentence whose
        consequence is something other than a duty (申请人可以…)."""
        if found is not None and found.group() not in self._duty:
            return None
        at = scan.skip(text, start, (" ", ","))
        after = scan.first_at(text, at, self._applicants)
        if after is None or text.startswith(("的", "、", "和", "或"), after):
            return None  # 申请人的配偶…, 申请人和…: someone else, or several
        rest = text[after:end]
        if has_any(rest, self._acts_asked) or self.sanctioned(rest):
            return None
        return Region(scan.skip(text, after, self._duty), end)  # 申请人应当|年满十八周岁

    def _lead_subject(self, start: int, sentence: str) -> list[Region]:
        """The subject of a list's lead-in (中国公民具有下列条件之一的 / 外国人或无国籍人，
        愿意遵守…，并具有下列条件…): the items are the requirements, but who may apply is
        named before them; not a lead-in of circumstances (外国人有下列情形之一的) or one
        that refuses (下列人员不能担任…)."""
        at = scan.first(self._qualification_lead, sentence)
        if at is None or at[0] == 0 or has_any(sentence, self._negation):
            return []
        return [Region(start, start + at[0], lead=True)]

    def sanctioned(self, sentence: str) -> bool:
        """Whether the sentence imposes a sanction or names a remedy (责令改正, 罚款,
        申请行政复议): no requirement; 不适用拘留审查 is not one, nor a word of an exception
        (除丧失学习能力的以外: who is left out, not what is done to them)."""
        for found in scan.starts(self._sanction).finditer(sentence):
            at = found.start()
            if "不" not in sentence[max(0, at - 3) : at] and not scan.excepted(sentence, at):
                return True
        return False

    def _conditional(self, text: str, start: int, end: int, found: re.Match[str]) -> list[Region]:
        """The clause before a consequence (…的，可以…), or the beneficiary an agent names."""
        word, cut = found.group(), start + found.start()
        rest = text[found.end() + start : scan.next_head(text, found.end() + start, end)]
        # Only the consequence's own clause refuses (…的，不得担任); a later one about something
        # else (…，其工资…不得低于…) does not make the condition a disqualifier.
        consequence = text[cut : scan.next_head(text, found.end() + start, end)]
        negated = self._refuses(consequence)
        if has_any(rest[:8], self._powers):
            return []  # …机关可以要求… / …可以自主开展…: an organ's demand or power
        heads = scan.heads(text, start, cut)
        agent = self.agents.agent_end(text, heads[-1], cut, at_end=True) is not None
        if agent and heads[-1] > start:  # …的护士，所在医疗卫生机构应当…: the agent's clause ends it
            if self.agents.agent_end(text, start, cut) is not None:
                return []  # 外国政府对…有特别规定的，中国政府可以…: no applicant's condition
            cut, heads = heads[-1] - 1, heads[:-1]
        marked = self.agents.marked(text, heads, cut)
        if marked is not None and marked < cut:  # 对…的，/地方各级人民政府对…的，应当予以补贴
            return self._referred(text, start, heads, marked, negated) or [Region(marked, cut, negated)]
        if agent and heads[-1] == start:
            # 县级以上人民政府应当对…给予支持: the beneficiary follows the consequence word.
            return self._beneficiaries(text, start, end, cut, negated)
        if self.agents.agent_start(text, start, cut):
            return []  # 公安交通管理机关发现…的，可暂扣车辆: the authority's condition
        # 应当被征集 / 应被录用: done to those described (who qualifies), not a duty of theirs.
        passive = rest.lstrip().startswith("被")
        # …误工的，用人单位应当…发给其工资: another subject's duty toward those described
        # (其), which is what they qualify for, not a duty of theirs.
        owed = heads[-1] > start and _BACK.search(rest) is not None
        duty = (
            word in self._duty
            and not passive
            and not owed
            and self._consequence.search(rest) is None
            and not has_any(rest, self._application)
        )
        if word in self._duty:
            required = self._required(text, start, cut, found.end() + start, end)
            if required:
                return required
        condition = self._condition_end(text, start, heads, cut)
        if condition is not None and word in self._credential:
            # …的，凭本人《居民身份证》用血: the document shown too (its fields), not for a procedure (凭…向…办理)
            stop = scan.next_head(text, found.end() + start, end)
            shown = [] if has_any(rest, self._acts_asked) else [Region(cut, stop, lead=True)]
            occasion = text[start:condition].rstrip(", ").endswith("时")
            return [] if occasion else [Region(start, condition, negated), *shown]
        if condition is not None:
            # …的，应当按照规定办理…证件: a duty of those so described, not a requirement.
            return [] if duty else [Region(start, condition, negated)]
        if agent or duty:
            return []
        return self._plain_subject(text, start, end, found, consequence)

    def _plain_subject(self, text: str, start: int, end: int, found: re.Match[str], consequence: str) -> list[Region]:
        """A plain subject before a consequence (高等学校…可以…, 各级师范学校学生享受…): not
        one that is banned or bound (外国人…，不得从事… / …停留居留，应当随身携带…), nor one an
        authority acts on (…的录用，由…负责组织) or that acts by its own judgement (机关根据
        工作需要，…可以…). A negation of any kind counts: a subject whose amount is bounded
        (…的人数，均不得超过…) is a quantity, not a person."""
        word, cut = found.group(), start + found.start()
        if has_any(consequence, self._negation) or word in self._acts or has_any(text[start:cut], self._discretion):
            return []
        if word in self._grant:
            # 分层给予新三板挂牌企业奖励资金支持: the grant's object is the beneficiary.
            return [Region(found.end() + start, scan.next_head(text, found.end() + start, end), weak=True)]
        return [Region(start, cut)] if cut > start else []

    def _refuses(self, consequence: str) -> bool:
        """Whether a consequence refuses those its condition describes (…的，不得担任): a
        negation that bounds an amount (…的，试用期不得超过一个月) refuses no one."""
        return self._refusal.search(consequence) is not None

    def _condition_end(self, text: str, start: int, heads: list[int], cut: int) -> int | None:
        """Where the condition before the consequence ends: at the consequence (…的，可以…)
        or at an earlier comma when a time or place phrase comes between (…人员的，退出现役后
        可以选择复职复工); None when no clause before the consequence ends like a condition."""
        for end in (cut, *(head - 1 for head in reversed(heads) if head > start)):
            if self._conditional_end.search(text[start:end].rstrip(", ")) is not None:
                return end
        return None

    def _referred(self, text: str, start: int, heads: list[int], marked: int, negated: bool) -> list[Region]:
        """The condition a 其 after the marker refers back to (…六十周岁以上老年人参加…的，
        对其个人缴费部分给予资助: who qualifies is the clause before, not 其个人缴费部分)."""
        if not text.startswith("其", marked):
            return []
        head = max((h for h in heads if h <= marked), default=start)
        before = text[start:head].rstrip(", ")
        if head <= start or self._conditional_end.search(before) is None:
            return []
        return [Region(start, start + len(before), negated)]

    def _required(self, text: str, start: int, cut: int, after: int, end: int) -> list[Region]:
        """A duty that is a requirement on those it binds: to obtain or hold something
        (在中国籍船舶上工作的外国籍船员，应当依法取得就业许可) — the subject and what it
        must hold — or to be held by someone (船长应当由中国籍船员担任) — the holder."""
        holder = self._holder.match(text, after, end)
        if holder is not None:
            return [Region(holder.start(1), holder.end(1))]
        licence = self._licence.match(text, after, end)
        if licence is None or self.agents.agent_end(text, start, cut, at_end=True) is not None:
            return []
        subject = [Region(start, cut)] if cut > start else []
        return [*subject, Region(licence.end(), end)]

    def _beneficiaries(self, text: str, start: int, end: int, after: int, negated: bool) -> list[Region]:
        """The beneficiaries :class:`AgentReader` finds from ``after`` on, as weak regions."""
        return [Region(a, b, negated, weak=True) for a, b in self.agents.beneficiaries(text, start, end, after)]

    def _scope(self, text: str, start: int, end: int) -> list[Region]:
        """The conditional subject before a requirement verb (…的，应当有…); not one that
        describes who lacks a requirement (不具备…的公民，必须通过…: an alternative)."""
        scope = text[start:end].rstrip(", 还并且")
        if not scope.endswith(("的", "者")) or scope.startswith(("不", "未")):
            return []
        return [Region(start, start + len(scope), scope=True)]

    def _find_consequence(self, sentence: str) -> re.Match[str] | None:
        """The consequence: the first in a clause that follows a condition (…的，可以…) and is
        no further case (…的，获得二级表彰并经批准享受相关待遇的，…), else the first anywhere (a
        benefit word inside the condition, 以股权形式给予科研人员的奖励，符合规定条件的，可以…).
        A clause that itself opens with a refusal (…，不得聘任无…许可的外籍人员，不得聘任…)
        names what is refused, not a condition, though it ends with 的…人员."""
        for comma in re.finditer(",", sentence):
            head = comma.end()
            if self._conditional_end.search(sentence[: comma.start()]) and not self._refusing(sentence, comma.start()):
                found = self._consequence.search(sentence, head, scan.next_head(sentence, head, len(sentence)))
                if found is not None and not scan.inside_case(self._conditional_end, sentence, head, found.start()):
                    return found
        return self._consequence.search(sentence)

    def _refusing(self, sentence: str, end: int) -> bool:
        """Whether the clause ending at ``end`` opens with a refusal after an earlier clause
        (…应当遵守…，不得聘任…的外籍人员): a subject's further duty. A sentence's first
        clause is the condition however it opens (不能享受失业保险待遇的失业人员，可以…)."""
        start = sentence.rfind(",", 0, end) + 1
        return start > 0 and self._refuses(sentence[start : start + 4])
