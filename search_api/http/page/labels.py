"""Chinese display names for facet fields, passage types and document kinds."""

from __future__ import annotations

FACET_LABELS = {"agency": "发文机关", "year": "年份", "talent_category": "人才类别", "doc_type": "文档类型"}

KIND_LABELS = {
    # passage kinds (the doc_type facet)
    "chapter": "报告正文",
    "abstract": "摘要",
    "table": "表格",
    "figure": "图",
    "footnote": "脚注",
    "event": "大事记",
    "catalogue_entry": "政策目录",
    "policy": "政策条款",
    "front_matter": "前言与编委",
    # document kinds
    "report": "报告",
    "report_chapter": "报告章节",
    "timeline": "大事记",
}

ERROR_TITLES = {404: "未找到", 422: "请求有误", 503: "检索服务暂不可用"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def facet_value(facet: str, value: str) -> str:
    if facet == "doc_type":
        return kind_label(value)
    if facet == "year":
        return f"{value}年"
    return value


def error_title(status: int, code: str) -> str:
    return ERROR_TITLES.get(status, "出错了" if status >= 500 else "请求有误")
