"""Legal categories whose issuer the law fixes (行政法规 are made by 国务院, 立法法).

A collection files laws and regulations under folders named by their category. A policy
text that names no issuer (no header, 关于 title, signature or 文号) is still issued by the
body its category belongs to; ``category_issuers`` in ``agencies.json`` says which
categories have one, and only those: 地方性法规 may come from a people's congress or its
standing committee, so that category gives none. A collection may also file a category
by the department that made each text (部门规章/公安部/机动车登记规定.txt: ``issuer_folders``):
that folder names the issuer of a text that names none itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise
from pathlib import Path

from knowledge.tables import DATA_DIR, Agency, DataFileError, _obj, _read_json, _str_list, load_agencies

AGENCIES = DATA_DIR / "agencies.json"


def load_category_issuers(
    path: Path = AGENCIES, agencies: Iterable[Agency] | None = None
) -> dict[str, tuple[str, ...]]:
    """Category folder name → its issuers, each an agency of the table (``agencies``, the
    table already read from ``path``; else it is read)."""
    root = _obj(path, _read_json(path), "the top level")
    table = _obj(path, root.get("category_issuers", {}), "category_issuers")
    known = {agency.name for agency in (load_agencies(path) if agencies is None else agencies)}
    out: dict[str, tuple[str, ...]] = {}
    for category, issuers in table.items():
        if category.startswith("_"):
            continue
        names = _str_list(path, issuers, f"category_issuers.{category}")
        unknown = [n for n in names if n not in known]
        if unknown:
            raise DataFileError(path, f"category_issuers.{category}: {unknown[0]!r} is not an agency of the table")
        out[category] = names
    return out


def load_issuer_folders(path: Path = AGENCIES) -> tuple[str, ...]:
    """The categories a collection files by issuer (``issuer_folders`` of ``agencies.json``:
    部门规章/公安部/…), whose next folder names the department that made a text."""
    root = _obj(path, _read_json(path), "the top level")
    section = _obj(path, root.get("issuer_folders", {}), "issuer_folders")
    return _str_list(path, section.get("categories", []), "issuer_folders.categories", required=False)


def folder_issuer(source: str, categories: tuple[str, ...], agency: Callable[[str], str | None]) -> list[str]:
    """The agency the folder under one of ``categories`` names (``agency``: a name or alias
    → the table's name, or None); none when no such folder names one."""
    folders = source.replace("\\", "/").split("/")[:-1]
    for parent, child in pairwise(folders):
        if parent in categories and (name := agency(child)) is not None:
            return [name]
    return []


def category_issuers(source: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """The issuers ``table`` (:func:`load_category_issuers`) gives the innermost folder of
    ``source`` that is such a category; none when no folder is."""
    folders = source.replace("\\", "/").split("/")[:-1]
    return list(next((table[f] for f in reversed(folders) if f in table), ()))
