"""Driving expat safely: no document type, no entity, ever; errors with their line.

The KTAB and GENIUS readers build their own trees from expat's callbacks; this module
owns what they share. A document that declares a document type or an entity is refused
twice over: by a scan of the text before parsing (for a clear line number), and by
expat handlers during parsing (which also see declarations the scan cannot, e.g. in
UTF-16), so no entity is ever expanded: neither "billion laughs" nor external entities
reach the output. Parameter entities are never parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.parsers import expat

from zopa.errors import ScenarioError

__all__ = ["SafeXmlParser"]

_REFUSED = {"<!DOCTYPE": "document type", "<!ENTITY": "entity"}


class SafeXmlParser:
    """One use of expat on one file, refusing DTDs and entities.

    Parameters
    ----------
    file
        The file's name, for messages.
    kind
        What the files are called in messages ("KTAB files", "GENIUS files").
    """

    def __init__(self, file: str, kind: str) -> None:
        self.file = file
        self.kind = kind
        self._parser = expat.ParserCreate()
        self._parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    @property
    def line(self) -> int:
        """The line the parser is on (where the current element starts)."""
        return int(self._parser.CurrentLineNumber)

    def _refusal(self, what: str, line: int) -> ScenarioError:
        return ScenarioError(f"{what} declarations are not accepted in {self.kind} "
                             "(entities are never expanded)", file=self.file, line=line)

    def _prescan(self, text: str) -> None:
        for number, line in enumerate(text.splitlines(), start=1):
            upper = line.upper()
            for marker, what in _REFUSED.items():
                if marker in upper:
                    raise self._refusal(what, number)

    def parse(self, data: bytes, *, start: Callable[[str, dict[str, str]], None],
              end: Callable[[str], None],
              characters: Callable[[str], None] | None = None) -> None:
        """Feed the whole document to the handlers.

        Raises
        ------
        ScenarioError
            At the line of a declaration, of an XML syntax error, or at line 1 for an
            encoding expat cannot use.
        """
        self._prescan(data.decode("utf-8", errors="replace"))

        def refuse(what: str) -> Callable[..., None]:
            def handler(*_: object) -> None:
                raise self._refusal(what, self.line)
            return handler

        parser = self._parser
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        if characters is not None:
            parser.CharacterDataHandler = characters
        parser.StartDoctypeDeclHandler = refuse("document type")
        parser.EntityDeclHandler = refuse("entity")
        try:
            parser.Parse(data, True)
        except expat.ExpatError as error:
            raise ScenarioError(f"XML syntax error: {expat.ErrorString(error.code)}",
                                file=self.file, line=error.lineno) from None
        except (LookupError, ValueError) as error:  # an encoding expat cannot use ("utf-7")
            raise ScenarioError(f"unusable XML encoding: {error}", file=self.file,
                                line=1) from None
