"""The 地区 facet: the province, municipality or 全国 a document applies in.

An official in Beijing narrows the collection to Beijing's texts, and an applicant to the
rules that bind where they live; the index holds national laws, Beijing's policies and
other provinces' and cities' regulations side by side, and nothing else said which is
which. The region is read from the document itself, as
:func:`~ingest.enrich.agency_roles.document_place` reads where it applies (the place its
title starts with, else its issuers'), lifted to the province-level unit that holds it
with the gazetteer of ``knowledge/data/places.json`` (广州市… → 广东, 北京市海淀区… →
北京). A country-wide text is 全国. So is a text whose issuers all name no place and no
level of local government: the names of local bodies start with their place
(北京市人力资源和社会保障局) and name their level (…县人民代表大会 of a county the
gazetteer does not hold: no region), those of central ones do neither (海关总署, 国家教育委员会,
国家市场监督管理总局). A part of a larger document without either (a
report chapter, its timeline) has the region of the document it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.model import Document
from knowledge.residence import NATIONWIDE, load_gazetteer

# A level of local government in a body's name (…县人民代表大会 of a county the gazetteer
# does not hold): a local body, though of no known place. 市场 is no 市
# (国家市场监督管理总局).
_LOCAL_LEVEL = re.compile(r"省|自治区|自治州|县|市(?!场)")


def document_region(place: str | None, issuers: Sequence[str]) -> str | None:
    """The region of a document applying in ``place`` (None or "" when its title and
    issuers name none) and issued by ``issuers`` (generic names already left out)."""
    gazetteer = load_gazetteer()
    if not place:
        if not issuers or any(_LOCAL_LEVEL.search(name) for name in issuers):
            return None
        return NATIONWIDE  # no issuer names a place: central bodies
    region = gazetteer.region(place)
    if region is None:
        return None
    return NATIONWIDE if gazetteer.places[region].parent is None else region


def apply_regions(documents: Sequence[Document]) -> None:
    """Give a document without a region (``meta["region"]``) its parent's, among the
    documents of one file. The loaders put it on each passage's record, as its kind."""
    by_id = {doc.id: doc for doc in documents}
    for doc in documents:
        parent = by_id.get(doc.parent_id) if doc.parent_id else None
        if doc.meta.get("region") is None and parent is not None:
            doc.meta["region"] = parent.meta.get("region")
