"""Safe reading and writing of the small XML files GENIUS uses.

Elements keep their attributes and the line they start on (for error messages); a
document that declares a document type or an entity is refused (see
:mod:`zopa.formats.safe_xml`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from zopa.errors import ScenarioError
from zopa.formats.safe_xml import SafeXmlParser

__all__ = ["Element", "parse_document", "render_element"]

_WHITESPACE = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


@dataclass(slots=True)
class Element:
    """One XML element: tag, attributes, 1-based start line and child elements."""

    tag: str
    attributes: dict[str, str]
    line: int
    children: list[Element] = field(default_factory=list)

    def all(self, tag: str) -> list[Element]:
        """Direct children with this tag, in document order."""
        return [child for child in self.children if child.tag == tag]

    def first(self, tag: str) -> Element | None:
        """The first direct child with this tag, or None."""
        return next((child for child in self.children if child.tag == tag), None)

    def walk(self) -> Iterator[Element]:
        """This element and all its descendants, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


def parse_document(data: bytes, file: str) -> Element:
    """Parse an XML document into :class:`Element` s; DTDs and entities are refused.

    Examples
    --------
    >>> root = parse_document(b'<a x="1">\\n  <b y="2"/>\\n</a>', "x.xml")
    >>> root.attributes, root.first("b").attributes, root.first("b").line
    ({'x': '1'}, {'y': '2'}, 2)
    """
    safe = SafeXmlParser(file, "GENIUS files")
    stack: list[Element] = []
    roots: list[Element] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = Element(tag, dict(attributes), safe.line)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    safe.parse(data, start=start, end=end)
    if not roots:
        raise ScenarioError("the file has no XML element", file=file, line=1)
    return roots[0]


def render_element(tag: str, attributes: dict[str, str], children: list[str] | None = None,
                   indent: int = 0) -> list[str]:
    """Lines of one element: self-closing when it has no children.

    Examples
    --------
    >>> render_element("item", {"index": "1", "value": "A & B"})
    ['<item index="1" value="A &amp; B"/>']
    """
    pad = "  " * indent
    attrs = "".join(f" {key}={quoteattr(value, _WHITESPACE)}" for key, value in attributes.items())
    if not children:
        return [f"{pad}<{tag}{attrs}/>"]
    return [f"{pad}<{tag}{attrs}>", *children, f"{pad}</{tag}>"]
