"""A small, safe XML reader for KTAB files: elements with their line numbers, no DTDs.

Elements keep the line they start on (for error messages); documents that declare a
document type or an entity are refused (see :mod:`zopa.formats.safe_xml`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zopa.errors import ScenarioError
from zopa.formats.safe_xml import SafeXmlParser

__all__ = ["XmlNode", "parse_xml"]

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


def parse_xml(text: str, file: str) -> XmlNode:
    """Parse ``text`` into :class:`XmlNode` s, refusing DTDs and entity declarations.

    Examples
    --------
    >>> root = parse_xml("<a>\\n  <b>1</b>\\n</a>", "x.xml")
    >>> root.child("b", "x.xml").text, root.child("b", "x.xml").line
    ('1', 2)
    """
    safe = SafeXmlParser(file, "KTAB files")
    stack: list[XmlNode] = []
    roots: list[XmlNode] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        node = XmlNode(tag, safe.line)
        (stack[-1].nodes if stack else roots).append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].text += data

    safe.parse(text.encode("utf-8"), start=start, end=end, characters=characters)
    if not roots:
        raise ScenarioError("the file has no XML element", file=file, line=1)
    return roots[0]
