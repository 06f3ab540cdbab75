"""The letter's rich text: what the editor may produce, sanitised with nh3 on save and again when shown, and its
plain-text form for the text part of the mail."""

import re
from html.parser import HTMLParser

import nh3
from django.utils.safestring import mark_safe

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "ul", "ol", "li", "blockquote", "a"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitise(html):
    """Only the tags above survive; scripts and styles go with their content, `javascript:` links lose their href."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()


def safe_html(html):
    return mark_safe(sanitise(html))  # noqa: S308 — sanitised by nh3 just now


BLOCKS = {"p", "h2", "h3", "ul", "ol", "blockquote", "div"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.lists = []
        self.href = None

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n\n")
        if tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            kind, number = self.lists[-1]
            self.parts.append("\n" + "  " * (len(self.lists) - 1) + ("- " if kind == "ul" else f"{number}. "))
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        if tag == "a" and self.href:
            self.parts.append(f" ({self.href.removeprefix('mailto:')})")
            self.href = None
        if tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))


def to_text(html):
    """The letter as plain text: paragraphs, list bullets, links written out."""
    parser = _Text()
    parser.feed(sanitise(html))
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
