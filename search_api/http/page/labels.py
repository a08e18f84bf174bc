"""Chinese display names for facet fields, passage types, document kinds, parameters and errors."""

from __future__ import annotations

from search_api.search.filters import CLOSED_FACET_NAMES

# The closed facets' names are the search core's, which its messages use (filters.check_value).
FACET_LABELS = {
    "agency": "发文机关",
    "mentioned_agency": "涉及机关",
    "region": "地区",
    "year": "年份",
    **CLOSED_FACET_NAMES,
}

# The sidebar's order: the clause type first (it replaced the 只看申报条件 toggle), then
# who issued and who is named, where the text applies, then the rest.
FACET_ORDER = ("clause_type", "agency", "mentioned_agency", "region", "talent_category", "year", "doc_kind", "doc_type")

# A line under a facet's heading, where its values need saying what they cover.
FACET_HINTS = {
    "agency": "印发文件的机关",
    "mentioned_agency": "条文或正文中提到的机关",
    "region": "文件适用的地区：全国或省、自治区、直辖市",
    "clause_type": "仅政策条款",
    "doc_type": "匹配段落的类型",
}

CLAUSE_TYPE_LABELS = {
    "condition": "申报条件",
    "benefit": "支持措施与待遇",
    "procedure": "申报程序与材料",
    "obligation": "管理与责任",
    "general": "总则与附则",
}

# The request parameters, as the page names them in its messages.
PARAM_LABELS = {
    **FACET_LABELS,
    "q": "检索词",
    "date_from": "起始日期",
    "date_to": "截止日期",
    "doc_number": "文号",
    "eligibility_only": "只看申报条件与支持措施",
    "sort": "排序方式",
    "page": "页码",
    "size": "每页条数",
    "group": "显示方式",
    "doc_id": "文档",
    "spell": "拼写纠正",
}

ELIGIBILITY_LABEL = "只看申报条件与支持措施"

KIND_LABELS = {
    # passage kinds (the doc_type facet)
    "chapter": "报告章节",
    "abstract": "摘要",
    "table": "表格",
    "figure": "图",
    "footnote": "脚注",
    "event": "大事记",
    "catalogue_entry": "政策目录",
    "policy": "政策文件",
    "front_matter": "前言与编委",
    # document kinds (the doc_kind facet, a document result's badge)
    "report": "报告",
    "report_chapter": "报告章节",
    "timeline": "大事记",
}

ERROR_TITLES = {
    404: "未找到",
    405: "不支持的请求方式",
    422: "请求有误",
    500: "服务器出错了",
    503: "检索服务暂不可用",
}

# What happened and what to do, per status; 404s say what was not found by path.
ERROR_MESSAGES = {
    405: "这个地址只能用浏览器直接打开（GET 请求）。",
    422: "链接中的参数有误。请检查链接，或用上面的检索框重新检索。",
    500: "服务器内部出错，我们已记录下来。请稍后刷新重试；如果一直出错，请联系网站管理员。",
    503: "暂时连接不上检索引擎。请稍后刷新重试，通常几分钟内就会恢复。",
}
NOT_FOUND = {
    "/passages/": "没有找到这段条文。它可能已在资料更新时更换了编号；请用上面的检索框按标题或文号查找。",
    "/policies/": "没有找到这份政策文件。请到“政策文件”列表中查找，或用上面的检索框按标题或文号检索。",
    "/documents/": "没有找到这份文件。请用上面的检索框按标题检索。",
}
NOT_FOUND_DEFAULT = "没有这个页面。请检查地址，或用上面的检索框检索。"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def facet_value(facet: str, value: str) -> str:
    if facet in ("doc_kind", "doc_type"):
        return kind_label(value)
    if facet == "year":
        return f"{value}年"
    if facet == "clause_type":
        return CLAUSE_TYPE_LABELS.get(value, value)
    return value


def error_title(status: int, code: str) -> str:
    return ERROR_TITLES.get(status, "出错了" if status >= 500 else "请求有误")


def error_message(status: int, path: str) -> str:
    """What a person reads on an error page: the cause and what to do, in Chinese."""
    if status == 404:
        return next((text for prefix, text in NOT_FOUND.items() if path.startswith(prefix)), NOT_FOUND_DEFAULT)
    return ERROR_MESSAGES.get(status, ERROR_MESSAGES[500] if status >= 500 else ERROR_MESSAGES[422])
