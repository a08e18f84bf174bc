"""申报自查 on every engine: the written profiles of the book's policies, end to end.

A mixin of the contract suite (each engine's test class inherits it beside
:class:`~tests.contract.contract.BackendContract`, whose ``backend`` fixture is the book):
conditions extracted at ingest, stored by the engine, read back and judged. The profiles
of ``tests/data/profiles.jsonl`` whose policies are in the book are checked against
:func:`search_api.search.eligibility.check`; what the extraction misses shows here as a
missing condition, what the verdicts get wrong as a disagreement.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from search_api.search.eligibility import EligibilityResult, check
from search_api.search.profile_reading import profile_from
from search_api.search.searcher import Searcher
from search_api.search.types import Filters
from search_api.search.verdicts import NOT_MET

DATA = Path(__file__).resolve().parents[1] / "data"
BOOK = "corpus/北京人才发展报告2023.txt"


def book_profiles() -> list[dict[str, Any]]:
    profiles = [json.loads(line) for line in (DATA / "profiles.jsonl").read_text(encoding="utf-8").splitlines()]
    return [p for p in profiles if all(e["source"] == BOOK for e in p["expect"])]


def as_request(profile: dict[str, Any]) -> dict[str, Any]:
    return {k: (["无"] if v == [] else v) for k, v in profile.items()}


def same_document(label: str, title: str) -> bool:
    """The labels name a notice by its full title (…关于印发《X》的通知); the index may
    call it X."""
    label, title = (re.sub(r"[\s()（）《》]", "", t) for t in (label, title))
    return label == title or (len(title) >= 6 and title in label)


def found_verdict(result: EligibilityResult, expect: dict[str, Any]) -> str | None:
    """The verdict the check gave on the labelled condition, None if it has no such one
    (a requirement in words is found by its words: one holds the other)."""
    locator = _squeeze(expect["article"] + (expect["item"] or ""))
    wanted = _squeeze(str(expect["value"]))
    for policy in (p for p in result.policies if same_document(expect["document"], p.title)):
        for clause in (c for c in policy.clauses if _squeeze(c.locator) == locator):
            for c in clause.conditions:
                if c.field != expect["field"]:
                    continue
                words = _squeeze(str(c.value))
                if c.value == expect["value"] or (c.field == "other" and (wanted in words or words in wanted)):
                    return c.verdict
    return None


def _squeeze(text: str) -> str:
    return re.sub(r"[\s、，,。]", "", text)


class EligibilityContract:
    def test_book_profiles_get_the_verdicts_of_a_careful_reader(self, backend: Searcher) -> None:
        agree = total = 0
        wrong: list[str] = []
        for profile in book_profiles():
            documents = {e["document"] for e in profile["expect"]}
            applicant = profile_from(as_request(profile["profile"]))
            for document in documents:
                result = check(backend, applicant, document, Filters(), 0, 10)
                assert any(same_document(document, p.title) for p in result.policies), document
                for expect in (e for e in profile["expect"] if e["document"] == document):
                    got = found_verdict(result, expect)
                    total += 1
                    agree += got == expect["verdict"]
                    if got is not None and got != expect["verdict"]:
                        wrong.append(f"{profile['id']} {expect['article']}{expect['item'] or ''} {expect['field']}")
        print(f"book profiles: {agree}/{total} verdicts as labelled; disagreements {wrong}")
        assert total and agree / total >= 0.85  # 29 of 31 when written
        assert len(wrong) <= total // 10, wrong

    def test_a_failed_condition_says_why(self, backend: Searcher) -> None:
        retiring = profile_from({"years_to_retirement": "1", "skill_level": "技师"})
        result = check(backend, retiring, "技能大师工作室", Filters(), 0, 3)
        conditions = [c for p in result.policies for cl in p.clauses for c in cl.conditions]
        failed = [c for c in conditions if c.verdict == NOT_MET]
        assert failed and all(c.reason.startswith("要求") for c in failed)
        assert result.policies[0].eligible is not True

    def test_without_words_the_profile_s_words_choose_the_policies(self, backend: Searcher) -> None:
        # Not the newest texts stating any condition: a 技师 is shown the policy naming 技师.
        result = check(backend, profile_from({"skill_level": "技师", "age": "52"}), "", Filters(), 0, 5)
        assert [p.title for p in result.policies] == ["北京市技能大师工作室建设管理办法"]
        foreign = check(backend, profile_from({"origin": ["外籍"]}), "", Filters(), 0, 5)
        assert foreign.policies and "境外职业资格" in foreign.policies[0].title

    def test_stored_passages_carry_their_conditions(self, backend: Searcher) -> None:
        result = check(backend, profile_from({}), "技能大师工作室", Filters(), 0, 1)
        clause = next(cl for cl in result.policies[0].clauses if cl.conditions)
        stored = backend.get_passage(clause.id)
        assert stored is not None and stored.conditions
        for condition in stored.conditions:
            assert stored.text[condition["start"] : condition["end"]] == condition["span"]
