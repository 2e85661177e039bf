"""A YAML reader whose cost is bounded by the document's size: safe tags, counted nodes.

PyYAML's ``SafeLoader`` constructs only plain data (no ``!!python/...`` objects),
but on its own it still lets a short document cost unbounded time and memory, and
lets some malformed values escape as exceptions that are not YAML errors. This
loader adds, while the document is composed:

* a count of the nodes with every alias expanded, refused above
  ``max_document_nodes`` (:mod:`zopa.limits`): an "alias bomb" (anchors of
  anchors, each repeated ten times) stops after a few thousand nodes instead of
  expanding to billions when the data is validated;
* a refusal of recursive aliases (a node containing itself);
* a nesting limit (:data:`zopa.limits.MAX_NESTING`), instead of a ``RecursionError``
  from the recursive composer on ``[[[[...]]]]``;
* values that cannot be constructed (an integer of more than 4,300 digits, the date
  2021-02-30, an empty ``!!int``) reported as YAML errors at their line, instead of a
  ``ValueError``, ``IndexError`` or ``AttributeError`` from PyYAML's constructors.

Examples
--------
>>> compose_bounded("a: &x [1, 2]\\nb: *x\\n").value[1][1].value[0].value
'1'
>>> try:
...     compose_bounded("a: &x [*x]\\n")
... except yaml.YAMLError as error:
...     print(error.problem, "on line", error.problem_mark.line + 1)
found a recursive alias on line 1
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from zopa.limits import MAX_NESTING, current_limits

__all__ = ["BoundedLoader", "compose_bounded"]


class BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` that counts composed nodes (aliases expanded) and nesting depth.

    Raises :class:`~zopa.errors.LimitError` (no line) when the count passes
    ``max_document_nodes``, and YAML errors with a mark for recursive aliases,
    deep nesting and values that cannot be constructed.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._limits = current_limits()
        self._nodes = 0
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> expanded size, once composed

    def _spend(self, count: int, mark: yaml.Mark | None) -> None:
        self._nodes += count
        if self._nodes > self._limits.max_document_nodes:
            line = mark.line + 1 if mark is not None else None
            self._limits.check("max_document_nodes", self._nodes, line=line,
                               what="values in the document with aliases expanded (or more)")

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            anchored = self.anchors.get(event.anchor)
            if anchored is not None:
                size = self._sizes.get(id(anchored))
                if size is None:
                    raise ComposerError(None, None, "found a recursive alias", event.start_mark)
                self._spend(size, event.start_mark)
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        if self._depth >= MAX_NESTING:
            raise ComposerError(None, None, f"nested deeper than {MAX_NESTING} levels",
                                event.start_mark)
        before = self._nodes
        self._spend(1, event.start_mark)
        self._depth += 1
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._sizes[id(node)] = self._nodes - before
        return node  # type: ignore[no-any-return]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (yaml.YAMLError, MemoryError):
            raise
        except Exception as error:  # PyYAML's constructors fail in many ways on explicit tags
            raise ConstructorError(None, None, f"cannot read this {node.tag.split(':')[-1]} "
                                   f"value ({type(error).__name__}: {error})",
                                   node.start_mark) from None


def compose_bounded(text: str) -> yaml.Node | None:
    """The node tree of a single-document YAML text, with the bounds of :class:`BoundedLoader`."""
    loader = BoundedLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()
