"""A small HTML tree for the report's tests: elements with their attributes, children and text,
found by tag, class and attribute, parsed with the standard library's HTML parser."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import attrs

#: Elements that never have content (HTML's void elements).
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr", "circle", "rect", "line", "path"}
)


@attrs.define
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = attrs.field(factory=list)
    parent: Element | None = attrs.field(default=None, repr=False)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """All the text inside, as a browser would show it with every element visible."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(
        self, tag: str | None = None, cls: str | None = None, **attributes: str
    ) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.classes)
            and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attributes.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attributes: str) -> Element:
        found = self.find_all(tag, cls, **attributes)
        assert found, f"no <{tag or '*'}> with class {cls!r} and {attributes} in <{self.tag}>"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attributes}, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attributes}, parent=self.stack[-1])
        self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Element:
    """The page's tree; fails on an end tag that closes the wrong element."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], f"unclosed: {[e.tag for e in builder.stack[1:]]}"
    return builder.root
