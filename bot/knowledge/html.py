"""Turn a saved copy of a guidance web page into the guidance Markdown the loader reads.

The page is read with the standard library's HTML parser (no regular expressions on markup):
headings become `#` lines, paragraphs stay paragraphs, list items (ordered or not) become `-`
lines, links keep their words only (the bot never repeats a link), and the site's chrome (scripts,
styles, navigation, header, footer, forms) is dropped. When the page has a `<main>` element only
its content is kept. Nothing is summarised or reworded: the guidance is official text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

_SKIP = frozenset("script style noscript template svg nav header footer aside form button select iframe head".split())
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset("p div section article main blockquote figure figcaption details summary table tr dl dt dd "
                    "ul ol body pre address".split())
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# "Last reviewed: 16/01/23" (the page's own line, day first as UK pages write it) or "Page last
# reviewed: 16 January 2023" (the NHS pattern).
REVIEWED_LINE = re.compile(r"^(?:page\s+)?last\s+reviewed\s*:?\s*(?P<date>.+?)\s*\.?$", re.I)
_REVIEW_META = ("last-reviewed", "dcterms.modified", "dc.date.modified", "article:modified_time", "dcterms.date")
_PUBLISHER_META = ("publisher", "dcterms.publisher", "dc.publisher", "og:site_name", "author")


@dataclass
class Page:
    """What was read off the page: its title, named metadata and its blocks of text in order."""

    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): "h1".."h6", "p", "li"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skip = 0  # depth inside chrome that is not guidance
        self._main = 0  # depth inside <main>
        self._li = 0  # depth inside list items: a <p> inside an item is still the item
        self._kind = "p"
        self._text: list[str] = []
        self._in_title = False
        self._title: list[str] = []
        self.main_blocks: list[tuple[str, str]] = []

    def _flush(self, next_kind: str = "p") -> None:
        text = " ".join("".join(self._text).split())
        if text and not self._skip:
            self.page.blocks.append((self._kind, text))
            if self._main:
                self.main_blocks.append((self._kind, text))
        self._text, self._kind = [], next_kind

    def handle_starttag(self, tag: str, attrs) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            name = (values.get("name") or values.get("property") or "").lower()
            if name and values.get("content"):
                self.page.meta.setdefault(name, " ".join(values["content"].split()))
        if tag in _SKIP:
            self._flush()
            self._skip += 1
        elif tag in _HEADINGS:
            self._flush(tag)
        elif tag == "li":
            self._flush("li")
            self._li += 1
        elif tag == "p" and self._li:
            pass
        elif tag in _BLOCKS:
            self._flush()
            if tag == "main":
                self._main += 1
        elif tag == "br":
            self._text.append(" ")
        elif tag in ("td", "th"):
            self._text.append(" ")

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP:
            self._flush()
            self._skip = max(0, self._skip - 1)
        elif tag == "p" and self._li:
            pass
        elif tag in _HEADINGS or tag == "li" or tag in _BLOCKS:
            self._flush()
            if tag == "li":
                self._li = max(0, self._li - 1)
            if tag == "main":
                self._main = max(0, self._main - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self._skip:
            self._text.append(data)


def read_page(html: str) -> Page:
    """The page's title, metadata and text blocks (only `<main>`'s when it has one)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._flush()
    page = reader.page
    page.title = " ".join("".join(reader._title).split())
    if reader.main_blocks:
        page.blocks = reader.main_blocks
    return page


def parse_review_date(text: str) -> dt.date | None:
    """16/01/23, 16/01/2023, 16 January 2023, 2023-01-16 (or an ISO time); None when it is none of them."""
    text = text.strip()
    for pattern in ("%d/%m/%y", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def review_date(page: Page) -> dt.date | None:
    """The review date the page states: its "Last reviewed" line, else its metadata."""
    for kind, text in reversed(page.blocks):
        m = REVIEWED_LINE.match(text) if kind == "p" else None
        if m and parse_review_date(m["date"]):
            return parse_review_date(m["date"])
    for name in _REVIEW_META:
        if name in page.meta and parse_review_date(page.meta[name]):
            return parse_review_date(page.meta[name])
    return None


def publisher(page: Page) -> str:
    return next((page.meta[n] for n in _PUBLISHER_META if page.meta.get(n)), "")


def _scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def to_markdown(page: Page, title: str, publisher_name: str, reviewed: dt.date) -> str:
    """The guidance Markdown: front matter, then one block per heading, paragraph or list item,
    blank lines between blocks and none between the items of one list."""
    out = ["---", f"title: {_scalar(title)}", f"publisher: {_scalar(publisher_name)}",
           f"last_reviewed: {reviewed.isoformat()}", "---"]
    previous = ""
    for kind, text in page.blocks:
        if not (kind == "li" and previous == "li"):
            out.append("")
        if kind in _HEADINGS:
            out.append(f"{'#' * _HEADINGS[kind]} {text}")
        elif kind == "li":
            out.append(f"- {text}")
        else:
            out.append(text)
        previous = kind
    return "\n".join(out) + "\n"
