"""One tantivy index per test session, shared by tests/api and tests/web: the book plus a
hostile policy whose title, clauses and 文号 carry markup (``<script>``, ``onerror``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_api.index.loading import ingest_paths
from search_api.index.tantivy.engine import TantivyEngine
from search_api.search.searcher import Searcher

REPO = Path(__file__).resolve().parents[2]
EVIL_TITLE = "北京市<script>alert(1)</script>人才公寓管理办法"
EVIL_TEXT = f"""{EVIL_TITLE}
京人社发〔2023〕99号
第一条 为了规范<script>alert(1)</script>人才公寓的申报条件，制定本办法。<img src=x onerror=alert(2)>
第二条 申请人应当符合以下条件：具有本科以上学历，在本市工作满一年。"quoted" & 'single' </mark><mark>x</mark>
第三条 本办法自2023年5月1日起施行，有效期至2028年12月31日。
"""

_built: dict[str, Path] = {}


def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build once per session: ingesting the book takes a few seconds."""
    if "path" not in _built:
        root = tmp_path_factory.mktemp("app-index")
        hostile = root / "hostile"
        hostile.mkdir()
        (hostile / "evil.txt").write_text(EVIL_TEXT, encoding="utf-8")
        backend = Searcher(TantivyEngine(root / "index"))
        report = ingest_paths(backend.engine, [REPO / "corpus", hostile])
        assert not report.failures, report.failures
        backend.close()
        _built["path"] = root / "index"
    return _built["path"]
