"""The HTML of the status pages: one stylesheet in the page, every text escaped.

A page is built from ``Markup`` (HTML this module wrote) and plain strings (text: a
group's title, a file name, a server's answer), which every helper passes through
``html.escape`` before it reaches the page. So a title typed as
``<script>alert(1)</script>`` or ``" onmouseover="x`` is shown as typed and never
becomes markup, an attribute or a link.

The pages load nothing: the style is in the page, there is no script, links are
relative paths to files beside the page. Colours meet WCAG AA contrast on the
backgrounds they are used on (tests measure them in a browser), and every colour
that carries a meaning comes with the same meaning in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import quote


class Markup(str):
    """HTML written by this module: inserted as it is."""


def text(value: object) -> Markup:
    """Plain text as HTML: ``&``, ``<``, ``>`` and both quotes escaped."""
    return Markup(escape(str(value), quote=True))


def html(value: object) -> Markup:
    """``value`` itself when it is Markup, else its text escaped."""
    return value if isinstance(value, Markup) else text(value)


def join(parts: Iterable[object], separator: str = "") -> Markup:
    return Markup(html(separator).join(html(part) for part in parts))


def tag(name: str, content: object = "", **attributes: object) -> Markup:
    """``<name attr="…">content</name>``; ``class_`` gives ``class``; None drops one."""
    attrs = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{text(value)}"'
        for key, value in attributes.items()
        if value is not None
    )
    return Markup(f"<{name}{attrs}>{html(content)}</{name}>")


def href(relative: str) -> str:
    """A relative POSIX path as a link target: every character that a URL or an HTML
    attribute would read otherwise is percent-encoded (``#``, ``?``, ``%``, quotes)."""
    return quote(relative, safe="/-_.~")


def link(relative: str, label: object, **attributes: object) -> Markup:
    return tag("a", label, href=href(relative), **attributes)


def anchor(fragment: str, label: object) -> Markup:
    """A link to a part of the same page."""
    return tag("a", label, href=f"#{fragment}")


def bullets(items: Iterable[object], class_: str | None = None) -> Markup:
    return tag("ul", join(tag("li", item) for item in items), class_=class_)


def paragraph(content: object, class_: str | None = None) -> Markup:
    return tag("p", content, class_=class_)


def table(
    caption: str,
    headers: list[str],
    rows: Iterable[list[object]],
    *,
    row_headers: bool = True,
) -> Markup:
    """A data table: a caption, column headers (``scope="col"``) and, by default, the
    first cell of each row as its header (``scope="row"``). The caption names the
    table for screen readers (the heading above says it on screen). On a narrow
    screen each row is shown as a block, each value after its column's name
    (``data-label``); the table also sits in a region that scrolls on its own, so the
    page never scrolls sideways."""
    head = join(tag("th", label, scope="col") for label in headers)
    body = []
    for row in rows:
        cells = [
            tag("th", cell, scope="row")
            if index == 0 and row_headers
            else tag("td", cell, data_label=headers[index])
            for index, cell in enumerate(row)
        ]
        body.append(tag("tr", join(cells)))
    content = join(
        [tag("caption", caption), tag("thead", tag("tr", head)), tag("tbody", join(body))]
    )
    return tag("div", tag("table", content), class_="table", role="region",
               aria_label=caption, tabindex="0")  # fmt: skip


def state(word: str, kind: str) -> Markup:
    """A state in words, on a tinted label (``kind``: sent, failed, uncertain, draft,
    none); the tint only repeats the word."""
    return tag("span", word, class_=f"state state-{kind}")


def page(title: str, heading: str, subtitle: object, body: object, *, nav: object = "") -> str:
    """The whole document: ``lang="fr"``, the stylesheet, a header band with the one
    ``h1``, an optional table of contents, then ``body`` (``h2`` sections)."""
    header = tag("header", join([tag("h1", heading), paragraph(subtitle)]), class_="band")
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title><style>{STYLESHEET}</style></head>"
        f"<body>{header}<main>{html(nav)}{html(body)}</main></body></html>\n"
    )


# Ink #1F2933 on white 14.6:1; muted #4A5560 on white 7.5:1 and on the tiles' #F1F4F8
# 6.9:1; links #00558F on white 7.6:1 and on #F1F4F8 7.0:1; band text #FFFFFF and
# #DCE6F2 on #1F3A5F 11.7:1 and 9.4:1; each state's ink on its tint 6.5:1 or more.
STYLESHEET = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#FFFFFF;color:#1F2933;
 font:15px/1.45 "DejaVu Sans",Verdana,Arial,Helvetica,sans-serif}
.band{background:#1F3A5F;color:#FFFFFF;padding:18px 24px}
.band h1{margin:0;font-size:1.45rem;line-height:1.25}
.band p{margin:6px 0 0;color:#DCE6F2}
main{max-width:1100px;margin:0 auto;padding:4px 24px 32px}
h2{color:#1F3A5F;font-size:1.25rem;margin:30px 0 10px;padding-bottom:4px;
 border-bottom:2px solid #1F3A5F}
h3{color:#1F3A5F;font-size:1.05rem;margin:20px 0 6px}
p{margin:6px 0}
a{color:#00558F}
a:focus,.table:focus{outline:3px solid #B35900;outline-offset:2px}
nav ul{list-style:none;margin:12px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
ul{margin:6px 0;padding-left:22px}
li{margin:3px 0}
.muted,.path{color:#4A5560}
.path{font-size:.85rem;overflow-wrap:anywhere}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:10px;
 margin:10px 0}
.figure{background:#F1F4F8;border-left:6px solid #1F3A5F;padding:10px 12px;margin:0}
.figure dt{font-size:.9rem}
.figure dd{margin:0}
.figure .value{display:block;font-size:1.7rem;font-weight:bold;color:#1F3A5F}
.figure .detail{display:block;font-size:.85rem;color:#4A5560}
.table{overflow-x:auto;margin:6px 0 10px}
table{border-collapse:collapse;width:100%}
caption,.hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
 white-space:nowrap}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #D5DAE1}
td{overflow-wrap:break-word}
thead th{color:#1F3A5F;font-size:.85rem;border-bottom:2px solid #5C6B7A}
tbody th{font-weight:normal}
.state{display:inline-block;padding:0 8px;border-radius:9px;font-weight:bold;font-size:.9rem}
.state-sent{background:#DDF2E6;color:#0B5130}
.state-failed{background:#FBE3DA;color:#8A1F00}
.state-uncertain{background:#FFF1C7;color:#5C4300}
.state-draft{background:#E6EAF0;color:#1F2933}
.state-none{background:#FFFFFF;color:#4A5560;border:1px solid #8792A0}
.problem{color:#8A1F00;font-weight:bold}
footer{margin-top:32px;padding-top:8px;border-top:1px solid #D5DAE1;color:#4A5560}
@media (max-width:600px){
 body{font-size:14px}
 .band{padding:14px 14px}
 main{padding:2px 12px 24px}
 .figures{grid-template-columns:1fr 1fr}
 .table table,.table tbody,.table tr,.table th,.table td{display:block}
 .table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 .table tr{border-bottom:1px solid #D5DAE1;padding:6px 0}
 .table tbody th,.table td{border:0;padding:1px 0}
 .table tbody th{font-weight:bold}
 .table td::before{content:attr(data-label) " : ";color:#1F3A5F;font-weight:bold}
}
@media print{
 body{font-size:10pt;color:#000000}
 .band{background:none;color:#000000;padding:0 0 6px;border-bottom:2px solid #000000}
 .band p,.muted,.path,.figure .detail,footer{color:#000000}
 main{max-width:none;padding:0}
 nav{display:none}
 a{color:#000000;text-decoration:none}
 h2,h3{color:#000000;break-after:avoid}
 h2{border-color:#000000}
 .figure{background:none;border:1px solid #000000}
 .figure .value{color:#000000}
 .table{overflow:visible}
 tr{break-inside:avoid}
 .state{background:none;color:#000000;border:1px solid #000000}
}
""".replace("\n", "")
