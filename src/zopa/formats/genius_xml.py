"""Safe reading and writing of the small XML files GENIUS uses.

Reading drives the standard library's expat parser directly, so that every
element keeps its attributes and the line it starts on (for error messages).
A document that declares a document type or an entity is refused, both by a
scan of the text before parsing and by expat handlers during parsing, so no
entity is ever expanded: neither "billion laughs" nor external entities can
reach the parser's output.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat
from xml.sax.saxutils import quoteattr

from zopa.errors import ScenarioError

__all__ = ["Element", "parse_document", "render_element"]

_REFUSED = {"<!DOCTYPE": "document type", "<!ENTITY": "entity"}
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


def _refusal(kind: str, file: str, line: int) -> ScenarioError:
    return ScenarioError(f"{kind} declarations are not accepted in GENIUS files "
                         "(entities are never expanded)", file=file, line=line)


def _prescan(text: str, file: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        upper = line.upper()
        for marker, kind in _REFUSED.items():
            if marker in upper:
                raise _refusal(kind, file, number)


def parse_document(data: bytes, file: str) -> Element:
    """Parse an XML document into :class:`Element` s; DTDs and entities are refused.

    Examples
    --------
    >>> root = parse_document(b'<a x="1">\\n  <b y="2"/>\\n</a>', "x.xml")
    >>> root.attributes, root.first("b").attributes, root.first("b").line
    ({'x': '1'}, {'y': '2'}, 2)
    """
    _prescan(data.decode("utf-8", errors="replace"), file)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    roots: list[Element] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = Element(tag, dict(attributes), parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def doctype(*args: object) -> None:
        raise _refusal("document type", file, parser.CurrentLineNumber)

    def entity(*args: object) -> None:
        raise _refusal("entity", file, parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ScenarioError(f"XML syntax error: {expat.ErrorString(error.code)}",
                            file=file, line=error.lineno) from None
    except (LookupError, ValueError) as error:  # an encoding expat cannot use ("utf-7", "nan")
        raise ScenarioError(f"unusable XML encoding: {error}", file=file, line=1) from None
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
