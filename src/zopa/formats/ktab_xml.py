"""A small, safe XML reader for KTAB files: elements with their line numbers, no DTDs.

The standard library's expat parser is driven directly so that every element
keeps the line it starts on (for error messages). Documents that declare a
document type or an entity are refused before and during parsing, so no
entity can ever be expanded (billion-laughs and external-entity attacks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from zopa.errors import ScenarioError

__all__ = ["XmlNode", "parse_xml"]

_REFUSED = ("<!DOCTYPE", "<!ENTITY")


@dataclass(slots=True)
class XmlNode:
    """One element: its tag, its text (concatenated), its line and its child elements."""

    tag: str
    line: int
    text: str = ""
    nodes: list[XmlNode] = field(default_factory=list)

    def children(self, tag: str | None = None) -> list[XmlNode]:
        """Child elements, all or those with ``tag``, in document order."""
        return [node for node in self.nodes if tag is None or node.tag == tag]

    def find(self, tag: str) -> XmlNode | None:
        """The first child with ``tag``, or None."""
        return next((node for node in self.nodes if node.tag == tag), None)

    def child(self, tag: str, file: str) -> XmlNode:
        """The first child with ``tag``; a ScenarioError naming this element's line if none."""
        node = self.find(tag)
        if node is None:
            raise ScenarioError(f"missing <{tag}> in <{self.tag}>", path=(self.tag, tag),
                                file=file, line=self.line)
        return node

    def text_of(self, tag: str, file: str, *, required: bool = True) -> str:
        """Stripped text of the first child with ``tag`` ("" if absent and not required)."""
        node = self.child(tag, file) if required else self.find(tag)
        return node.text.strip() if node is not None else ""


def _refuse(kind: str, file: str, line: int) -> ScenarioError:
    return ScenarioError(f"{kind} declarations are not accepted in KTAB files "
                         "(entities are never expanded)", file=file, line=line)


def _prescan(text: str, file: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        upper = line.upper()
        for marker in _REFUSED:
            if marker in upper:
                kind = "document type" if marker == "<!DOCTYPE" else "entity"
                raise _refuse(kind, file, number)


def parse_xml(text: str, file: str) -> XmlNode:
    """Parse ``text`` into :class:`XmlNode` s, refusing DTDs and entity declarations.

    Examples
    --------
    >>> root = parse_xml("<a>\\n  <b>1</b>\\n</a>", "x.xml")
    >>> root.child("b", "x.xml").text, root.child("b", "x.xml").line
    ('1', 2)
    """
    _prescan(text, file)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[XmlNode] = []
    roots: list[XmlNode] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        node = XmlNode(tag, parser.CurrentLineNumber)
        (stack[-1].nodes if stack else roots).append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].text += data

    def doctype(*args: object) -> None:
        raise _refuse("document type", file, parser.CurrentLineNumber)

    def entity(*args: object) -> None:
        raise _refuse("entity", file, parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as error:
        raise ScenarioError(f"XML syntax error: {expat.ErrorString(error.code)}",
                            file=file, line=error.lineno) from None
    except (LookupError, ValueError) as error:  # an encoding expat cannot use ("utf-7", "nan")
        raise ScenarioError(f"unusable XML encoding: {error}", file=file, line=1) from None
    if not roots:
        raise ScenarioError("the file has no XML element", file=file, line=1)
    return roots[0]
